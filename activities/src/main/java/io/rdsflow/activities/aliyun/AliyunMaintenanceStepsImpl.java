package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudRequests.WEEK;
import static io.rdsflow.activities.aliyun.CloudRequests.backupWindow;
import static io.rdsflow.activities.aliyun.CloudStep.csvSet;
import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;
import static io.rdsflow.activities.aliyun.CloudStep.retried;

import com.aliyun.rds20140815.models.DescribeBackupPolicyRequest;
import com.aliyun.rds20140815.models.ModifyBackupPolicyRequest;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.workflows.activities.AliyunMaintenanceSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;

/** The backup policy and DAS monitoring of the cloud instance (see {@link CloudStep}). */
public final class AliyunMaintenanceStepsImpl implements AliyunMaintenanceSteps {
  private final CloudStep step;
  private final RequestDao requests;
  private final InstanceDao instances;
  private final CloudApi api;

  public AliyunMaintenanceStepsImpl(CloudStep step, RequestDao requests, InstanceDao instances, CloudApi api) {
    this.step = step;
    this.requests = requests;
    this.instances = instances;
    this.api = api;
  }

  @Override
  public StepResult doInsertBaklist(StepInput in) { // do_insert_baklist
    return step.run(in, () -> {
      Ctx c = step.ctx(in);
      CreateRequest.Backup backup = c.request().backup();
      if (backup == null) {
        return StepResult.skipped("no backup plan requested: the default policy of Alibaba Cloud RDS applies");
      }
      String cloudId = step.cloudId(c);
      String window = backupWindow(backup.preferredTime());
      String result = "daily backup of " + cloudId + " in " + window + ", kept " + backup.retentionDays() + " days";
      if (retried() && backupPolicyIs(c, cloudId, window, backup.retentionDays())) {
        requests.upsertBackupPlan(in.instanceId(), backup.retentionDays(), backup.preferredTime());
        return StepResult.of(result + " (set by an earlier try)");
      }
      api.mutate(c.rds(), "ModifyBackupPolicy", heartbeat("backup policy"),
          () -> backupPolicyIs(c, cloudId, window, backup.retentionDays()),
          rt -> c.rds().client().modifyBackupPolicyWithOptions(new ModifyBackupPolicyRequest().setDBInstanceId(cloudId)
              .setPreferredBackupTime(window).setPreferredBackupPeriod(WEEK)
              .setBackupRetentionPeriod(String.valueOf(backup.retentionDays())), rt));
      requests.upsertBackupPlan(in.instanceId(), backup.retentionDays(), backup.preferredTime());
      return StepResult.of(result);
    });
  }

  /** Whether the backup policy is the daily one in {@code window}, kept {@code days} days. */
  private boolean backupPolicyIs(Ctx c, String cloudId, String window, int days) {
    var body = api.call(c.rds(), "DescribeBackupPolicy", heartbeat("backup policy"), rt -> c.rds().client()
        .describeBackupPolicyWithOptions(new DescribeBackupPolicyRequest().setDBInstanceId(cloudId), rt)).getBody();
    return window.equals(body.getPreferredBackupTime()) && body.getPreferredBackupPeriod() != null
        && csvSet(body.getPreferredBackupPeriod()).equals(csvSet(WEEK)) && body.getBackupRetentionPeriod() != null
        && body.getBackupRetentionPeriod() == days;
  }

  @Override
  public StepResult doInsertInstancePerfTable(StepInput in) { // do_insert_instance_perf_table
    return step.run(in, () -> {
      InstanceDao.Instance ins = instances.get(in.instanceId());
      instances.setMonitoring(in.instanceId(), true, null, null);
      return StepResult.of("DAS session collection on (group aliyun-" + ins.aliyunUid() + ")");
    });
  }
}

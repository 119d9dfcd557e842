package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;
import static io.rdsflow.workflows.operate.AliyunOperationPlans.FACT_BACKUP_ID;
import static io.rdsflow.workflows.operate.AliyunOperationPlans.FACT_BACKUP_JOB;

import com.aliyun.rds20140815.models.CreateBackupRequest;
import com.aliyun.rds20140815.models.DescribeBackupTasksRequest;
import com.aliyun.rds20140815.models.DescribeBackupTasksResponseBody.DescribeBackupTasksResponseBodyItemsBackupJob;
import com.aliyun.rds20140815.models.DescribeBackupsRequest;
import com.aliyun.rds20140815.models.DescribeBackupsResponseBody.DescribeBackupsResponseBodyItemsBackup;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.activities.meta.CloudBackupDao;
import io.rdsflow.activities.steps.StepFailure;
import io.rdsflow.workflows.activities.AliyunBackupOperations;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The {@code backup} operation of an aliyun instance: Alibaba Cloud RDS takes a physical full backup set (CreateBackup),
 * recorded in {@code backups} like a local backup (node {@code instance}, method {@link CloudBackupDao#METHOD}, no file
 * of rdsflow's: the set stays in the cloud, named by {@code cloud_backup_id}). CreateBackup is sent once per operation:
 * the job id is kept in the row, and a try whose answer was lost is recognised by a job that was not there before.
 */
public final class AliyunBackupOperationsImpl implements AliyunBackupOperations {
  static final String FINISHED = "Finished";
  static final String FAILED = "Failed";

  private final CloudStep step;
  private final CloudApi api;
  private final BackupDao backups;
  private final CloudBackupDao cloudBackups;

  public AliyunBackupOperationsImpl(CloudStep step, CloudApi api, BackupDao backups, CloudBackupDao cloudBackups) {
    this.step = step;
    this.api = api;
    this.backups = backups;
    this.cloudBackups = cloudBackups;
  }

  @Override
  public OperationStepResult createCloudBackup(OperationStepInput in) { // rdsflow_create_cloud_backup
    return step.runOperation(in, (c, cloudId) -> {
      BackupDao.Backup row = backups.start(in.instanceId(), in.operationId(), BackupDao.FULL, CloudBackupDao.NODE, null,
          CloudBackupDao.METHOD);
      String earlier = cloudBackups.ofOperation(in.operationId()).map(CloudBackupDao.CloudBackup::jobId).orElse(null);
      if (earlier != null) {
        return result(row, earlier, "CreateBackup of " + cloudId + " sent by an earlier try: job " + earlier);
      }
      Set<String> before = jobs(c, cloudId, null).stream().map(DescribeBackupTasksResponseBodyItemsBackupJob::getBackupJobId)
          .collect(Collectors.toSet());
      AtomicReference<String> job = new AtomicReference<>();
      boolean answered = api.mutate(c.rds(), "CreateBackup", heartbeat("backing up " + cloudId),
          () -> {
            List<String> fresh = jobs(c, cloudId, null).stream().map(DescribeBackupTasksResponseBodyItemsBackupJob::getBackupJobId)
                .filter(j -> !before.contains(j)).toList();
            job.set(fresh.size() == 1 ? fresh.get(0) : null);
            return job.get() != null;
          },
          rt -> {
            var body = c.rds().client().createBackupWithOptions(new CreateBackupRequest().setDBInstanceId(cloudId)
                .setBackupMethod("Physical").setBackupType("FullBackup"), rt).getBody();
            job.set(body == null ? null : body.getBackupJobId());
            return body;
          });
      if (job.get() == null || job.get().isBlank()) {
        throw new IllegalStateException("CreateBackup answered without a BackupJobId");
      }
      cloudBackups.jobSent(row.backupId(), job.get());
      return result(row, job.get(), "CreateBackup (Physical, FullBackup) of " + cloudId + ": job " + job.get()
          + (answered ? "" : " (a try whose answer was lost took effect)"));
    });
  }

  @Override
  public OperationStepResult waitCloudBackup(OperationStepInput in) { // rdsflow_wait_cloud_backup
    return step.runOperation(in, (c, cloudId) -> {
      String rowId = fact(in, FACT_BACKUP_ID);
      String job = fact(in, FACT_BACKUP_JOB);
      Instant startedAt = step.startedAt(in.row());
      Instant deadline = startedAt.plus(api.settings().createTimeout());
      String last = "not listed yet";
      while (true) {
        try {
          var listed = jobs(c, cloudId, job).stream().filter(j -> job.equals(j.getBackupJobId())).findFirst();
          if (listed.isPresent()) {
            var j = listed.get();
            last = j.getBackupStatus() + (j.getProcess() == null ? "" : " " + j.getProcess() + "%");
            if (FAILED.equals(j.getBackupStatus())) {
              String error = "the cloud's backup job " + job + " of " + cloudId + " failed";
              backups.failed(rowId, error);
              throw new StepFailure(error);
            }
            if (FINISHED.equals(j.getBackupStatus()) && j.getBackupId() != null && !j.getBackupId().isBlank()) {
              return recordSet(c, cloudId, rowId, j.getBackupId(), startedAt);
            }
          }
        } catch (CloudError e) {
          if (!e.retryable()) {
            throw e;
          }
          last = last + ", last error " + e.getMessage();
        }
        if (Instant.now().plus(api.settings().pollInterval()).isAfter(deadline)) {
          throw new StepFailure("backup job " + job + " of " + cloudId + " not finished within " + api.settings().createTimeout()
              + " (last: " + last + ")");
        }
        CloudApi.pause(api.settings().pollInterval(), heartbeat("backup job " + job + " of " + cloudId + ": " + last));
      }
    });
  }

  /** DescribeBackups of the finished job's set: the row SUCCEEDED with its size and the set's id, or FAILED. */
  private OperationStepResult recordSet(Ctx c, String cloudId, String rowId, String setId, Instant startedAt) {
    var body = api.call(c.rds(), "DescribeBackups", heartbeat("backup set " + setId), rt -> c.rds().client()
        .describeBackupsWithOptions(new DescribeBackupsRequest().setDBInstanceId(cloudId).setBackupId(setId), rt)).getBody();
    List<DescribeBackupsResponseBodyItemsBackup> sets = body.getItems() == null || body.getItems().getBackup() == null
        ? List.of() : body.getItems().getBackup();
    DescribeBackupsResponseBodyItemsBackup set = sets.stream().filter(b -> setId.equals(b.getBackupId())).findFirst()
        .orElseThrow(() -> new IllegalStateException("backup set " + setId + " of " + cloudId + " is not listed yet"));
    if (!"Success".equals(set.getBackupStatus())) {
      String error = "backup set " + setId + " of " + cloudId + " is " + set.getBackupStatus();
      backups.failed(rowId, error);
      throw new StepFailure(error);
    }
    long size = set.getBackupSize() == null ? 0 : set.getBackupSize();
    cloudBackups.backupSet(rowId, setId);
    backups.succeeded(rowId, new BackupDao.Result(CloudBackupDao.METHOD, size, null, null, null, null, null));
    return new OperationStepResult("backup " + rowId + ": backup set " + setId + " of " + cloudId + " (" + set.getBackupMethod()
        + " " + set.getBackupType() + ", " + size + " bytes, " + set.getBackupStartTime() + " to " + set.getBackupEndTime()
        + ") after " + Duration.between(startedAt, Instant.now()).toSeconds() + " s", Map.of(FACT_BACKUP_ID, rowId));
  }

  private List<DescribeBackupTasksResponseBodyItemsBackupJob> jobs(Ctx c, String cloudId, String job) {
    var request = new DescribeBackupTasksRequest().setDBInstanceId(cloudId);
    if (job != null) {
      request.setBackupJobId(Integer.valueOf(job));
    }
    var body = api.call(c.rds(), "DescribeBackupTasks", heartbeat("backup jobs of " + cloudId),
        rt -> c.rds().client().describeBackupTasksWithOptions(request, rt)).getBody();
    return body.getItems() == null || body.getItems().getBackupJob() == null ? List.of() : body.getItems().getBackupJob();
  }

  private static OperationStepResult result(BackupDao.Backup row, String job, String message) {
    return new OperationStepResult(message + "; recorded as backup " + row.backupId(),
        Map.of(FACT_BACKUP_ID, row.backupId(), FACT_BACKUP_JOB, job));
  }

  private static String fact(OperationStepInput in, String name) {
    String v = in.facts() == null ? null : in.facts().get(name);
    if (v == null || v.isBlank()) {
      throw new StepFailure("fact " + name + " missing: " + io.rdsflow.workflows.operate.AliyunOperationPlans.CREATE_BACKUP
          + " did not report it");
    }
    return v;
  }
}

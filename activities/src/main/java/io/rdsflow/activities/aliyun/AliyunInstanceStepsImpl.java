package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudRequests.clientToken;
import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;

import com.aliyun.rds20140815.models.CreateDBInstanceRequest;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.meta.CloudBackupDao;
import io.rdsflow.activities.meta.CloudInstanceDao;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.workflows.activities.AliyunInstanceSteps;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cloud instance: created once for its ClientToken, waited for, and its endpoint published (see {@link CloudStep}). */
public final class AliyunInstanceStepsImpl implements AliyunInstanceSteps {
  private static final Logger LOG = LoggerFactory.getLogger(AliyunInstanceStepsImpl.class);

  private final CloudStep step;
  private final NodeDao nodes;
  private final CloudInstanceDao cloud;
  private final CloudApi api;
  private final CloudPolling polling;
  private final CloudClone clones;

  public AliyunInstanceStepsImpl(CloudStep step, NodeDao nodes, CloudInstanceDao cloud, CloudBackupDao backups, CloudApi api) {
    this.step = step;
    this.nodes = nodes;
    this.cloud = cloud;
    this.api = api;
    this.polling = new CloudPolling(api);
    this.clones = new CloudClone(api, cloud, backups);
  }

  @Override
  public StepResult doCreateSingleTenantInsAndWaitFinish(StepInput in) { // do_create_single_tenant_ins_and_wait_finish
    return step.run(in, () -> {
      Ctx c = step.ctx(in);
      CloudInstanceDao.CloudRef ref = cloud.get(c.id());
      String cloudId = ref.cloudInstanceId();
      boolean created = false;
      if (cloudId == null) {
        cloudId = create(c, ref.state() == null);
        created = true;
      }
      Instant startedAt = step.startedAt(in);
      Instant deadline = startedAt.plus(api.settings().createTimeout());
      String id = cloudId;
      String status = polling.waitForRunning(c, cloudId, deadline, () -> "waiting for " + id + " to be Running");
      long seconds = Duration.between(startedAt, Instant.now()).toSeconds();
      return StepResult.of((created ? "created " : "found ") + cloudId + " (ClientToken " + clientToken(c.id()) + "), "
          + status + " after " + seconds + " s");
    });
  }

  @Override
  public StepResult rdsflowCloneDbInstance(StepInput in) { // rdsflow_clone_db_instance
    return step.run(in, () -> {
      Ctx c = step.ctx(in);
      CloudInstanceDao.CloudRef ref = cloud.get(c.id());
      String cloudId = ref.cloudInstanceId();
      String made = "found ";
      if (cloudId == null) {
        CloudClone.Cloned cloned = clones.clone(c, CloudInstanceDao.CREATE_SENT.equals(ref.state()));
        cloudId = cloned.cloudId();
        made = "cloned " + cloned.from() + " into " + (cloned.answered() ? "" : "(a try whose answer was lost took effect) ");
      }
      Instant startedAt = step.startedAt(in);
      String id = cloudId;
      String status = polling.waitForRunning(c, cloudId, startedAt.plus(api.settings().createTimeout()),
          () -> "waiting for clone " + id + " to be Running");
      return StepResult.of(made + cloudId + ", " + status + " after " + Duration.between(startedAt, Instant.now()).toSeconds() + " s");
    });
  }

  /** CreateDBInstance; {@code fresh}: no earlier try of this step sent one. */
  private String create(Ctx c, boolean fresh) {
    cloud.markCreateSent(c.id());
    CreateDBInstanceRequest request = CloudRequests.createDBInstance(c);
    String cloudId;
    try {
      cloudId = api.call(c.rds(), "CreateDBInstance", heartbeat("creating"),
          rt -> c.rds().client().createDBInstanceWithOptions(request, rt)).getBody().getDBInstanceId();
    } catch (CloudError e) {
      if (fresh && !e.ambiguous()) {
        cloud.clearCreateSent(c.id());
      }
      throw e;
    }
    if (cloudId == null || cloudId.isBlank()) {
      throw new IllegalStateException("CreateDBInstance answered without a DBInstanceId");
    }
    cloud.created(c.id(), cloudId);
    LOG.info("[{}] cloud instance {} created in {} for account {} (ClientToken {})", c.id(), cloudId, c.rds().regionId(),
        c.ins().aliyunUid(), clientToken(c.id()));
    return cloudId;
  }

  @Override
  public StepResult doActiveInstanceForInstall(StepInput in) { // do_active_instance_for_install
    return step.run(in, () -> {
      Ctx c = step.ctx(in);
      String cloudId = step.cloudId(c);
      var attribute = polling.describe(c, cloudId, api.settings().callBudget());
      if (!"Running".equals(attribute.getDBInstanceStatus())) {
        throw new IllegalStateException(cloudId + " is " + attribute.getDBInstanceStatus() + ", not Running yet");
      }
      int port = Integer.parseInt(attribute.getPort());
      nodes.upsert(in.instanceId(), Role.MASTER, attribute.getConnectionString(), port);
      return StepResult.of("endpoint " + attribute.getConnectionString() + ":" + port + " (" + cloudId + ", "
          + attribute.getCategory() + ")");
    });
  }
}

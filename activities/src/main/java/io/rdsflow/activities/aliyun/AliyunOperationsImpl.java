package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;
import static io.rdsflow.activities.aliyun.CloudStep.retried;
import static io.rdsflow.workflows.operate.AliyunOperationPlans.FACT_MASTER_NODE;
import static io.rdsflow.workflows.operate.AliyunOperationPlans.FACT_STANDBY_NODE;

import com.aliyun.rds20140815.models.DescribeDBInstanceHAConfigRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceHAConfigResponseBody.DescribeDBInstanceHAConfigResponseBodyHostInstanceInfosNodeInfo;
import com.aliyun.rds20140815.models.RestartDBInstanceRequest;
import com.aliyun.rds20140815.models.SwitchDBInstanceHARequest;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.steps.StepFailure;
import io.rdsflow.workflows.activities.AliyunOperations;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;


/**
 * Switchover and restart of an aliyun instance (see {@code AliyunOperationPlans}): every cloud call goes
 * through {@link CloudApi} (counted, throttling and 5xx backed off), cloud errors are translated by
 * {@link CloudStep}. A step retried by Temporal looks at the cloud before it changes anything again.
 */
public final class AliyunOperationsImpl implements AliyunOperations {
  static final String MASTER = "Master";
  static final String SLAVE = "Slave";
  /** One attempt of the wait returns before the step's 2 min start-to-close; Temporal's retry waits on. */
  private static final Duration ATTEMPT_BUDGET = Duration.ofSeconds(100);

  private final CloudStep step;
  private final CloudApi api;
  private final CloudPolling polling;

  public AliyunOperationsImpl(CloudStep step, CloudApi api) {
    this.step = step;
    this.api = api;
    this.polling = new CloudPolling(api);
  }

  @Override
  public OperationStepResult checkCloudHa(OperationStepInput in) { // rdsflow_check_cloud_ha
    return step.runOperation(in, (c, cloudId) -> {
      var attribute = polling.describe(c, cloudId, api.settings().callBudget());
      String status = attribute.getDBInstanceStatus();
      if (!"Running".equals(status)) {
        throw new StepFailure(cloudId + " is " + status + ", not Running: no switchover started");
      }
      List<DescribeDBInstanceHAConfigResponseBodyHostInstanceInfosNodeInfo> nodes = haNodes(c, cloudId, api.settings().callBudget());
      var master = node(nodes, MASTER);
      var standby = node(nodes, SLAVE);
      if (nodes.size() != 2 || master == null || standby == null) {
        throw new StepFailure(cloudId + " (category " + attribute.getCategory() + ") has nodes " + roles(nodes)
            + ": a switchover needs one Master and one Slave node");
      }
      return new OperationStepResult(cloudId + " Running (" + attribute.getCategory() + "): master node " + master.getNodeId()
          + " in " + master.getZoneId() + ", standby node " + standby.getNodeId() + " in " + standby.getZoneId() + " ("
          + standby.getSyncStatus() + ")", Map.of(FACT_MASTER_NODE, master.getNodeId(), FACT_STANDBY_NODE, standby.getNodeId()));
    });
  }

  @Override
  public OperationStepResult switchCloudHa(OperationStepInput in) { // rdsflow_switch_cloud_ha
    return step.runOperation(in, (c, cloudId) -> {
      String oldMaster = fact(in, FACT_MASTER_NODE);
      String standby = fact(in, FACT_STANDBY_NODE);
      String done = "standby node " + standby + " of " + cloudId + " takes over from node " + oldMaster;
      if (retried() && switchedOrSwitching(c, cloudId, oldMaster)) {
        return OperationStepResult.of(done + " (SwitchDBInstanceHA sent by an earlier try)");
      }
      boolean answered = api.mutate(c.rds(), "SwitchDBInstanceHA", heartbeat("switching " + cloudId),
          () -> switchedOrSwitching(c, cloudId, oldMaster),
          rt -> c.rds().client().switchDBInstanceHAWithOptions(new SwitchDBInstanceHARequest().setDBInstanceId(cloudId)
              .setNodeId(standby).setForce("No"), rt));
      return OperationStepResult.of(done + (answered ? "" : " (a try whose answer was lost took effect)"));
    });
  }

  @Override
  public OperationStepResult restartCloudInstance(OperationStepInput in) { // rdsflow_restart_cloud_instance
    return step.runOperation(in, (c, cloudId) -> {
      String token = "rdsflow-" + in.operationId(); // the same for every try: the cloud restarts once
      api.call(c.rds(), "RestartDBInstance", heartbeat("restarting " + cloudId), rt -> c.rds().client()
          .restartDBInstanceWithOptions(new RestartDBInstanceRequest().setDBInstanceId(cloudId).setClientToken(token), rt));
      return OperationStepResult.of("RestartDBInstance of " + cloudId + " accepted (ClientToken " + token + ")");
    });
  }

  @Override
  public OperationStepResult waitCloudRunning(OperationStepInput in) { // rdsflow_wait_cloud_running
    return step.runOperation(in, (c, cloudId) -> {
      String oldMaster = in.facts().get(FACT_MASTER_NODE); // set by a switchover's check, absent for a restart
      Instant startedAt = step.startedAt(in.row());
      Instant deadline = startedAt.plus(api.settings().createTimeout());
      Instant attemptEnd = Instant.now().plus(ATTEMPT_BUDGET);
      String last = "unknown";
      String lastError = "";
      while (true) {
        try {
          last = polling.describe(c, cloudId, Duration.ZERO).getDBInstanceStatus();
          if (last.equals("Deleting") || last.equals("Released") || last.equals("Deleted")) {
            throw new StepFailure(cloudId + " is " + last + ": it was deleted outside rdsflow");
          }
          if ("Running".equals(last)) {
            long seconds = Duration.between(startedAt, Instant.now()).toSeconds();
            if (oldMaster == null) {
              return OperationStepResult.of(cloudId + " Running after " + seconds + " s");
            }
            var master = node(haNodes(c, cloudId, Duration.ZERO), MASTER);
            if (master != null && !master.getNodeId().equals(oldMaster)) {
              return OperationStepResult.of(cloudId + " Running after " + seconds + " s, master node now " + master.getNodeId()
                  + " (was " + oldMaster + ")");
            }
            last = "Running, master node still " + oldMaster;
          }
          lastError = "";
        } catch (CloudError e) {
          if (!e.retryable()) {
            throw e;
          }
          lastError = ", last error " + e.getMessage();
        }
        Instant next = Instant.now().plus(api.settings().pollInterval());
        if (next.isAfter(deadline)) {
          throw new StepFailure(cloudId + " not done within " + api.settings().createTimeout() + " (last: " + last + lastError + ")");
        }
        if (next.isAfter(attemptEnd)) { // retried by Temporal, which keeps the deadline of the first attempt
          throw new IllegalStateException(cloudId + " still not done after " + ATTEMPT_BUDGET.toSeconds() + " s (" + last + lastError + ")");
        }
        CloudApi.pause(api.settings().pollInterval(), heartbeat("waiting for " + cloudId + " (now " + last + ")"));
      }
    });
  }

  /** Whether the Master is no longer {@code oldMaster}, or the instance left Running (the switch is under way). */
  private boolean switchedOrSwitching(Ctx c, String cloudId, String oldMaster) {
    if (!"Running".equals(polling.describe(c, cloudId, api.settings().callBudget()).getDBInstanceStatus())) {
      return true;
    }
    var master = node(haNodes(c, cloudId, api.settings().callBudget()), MASTER);
    return master == null || !master.getNodeId().equals(oldMaster);
  }

  private List<DescribeDBInstanceHAConfigResponseBodyHostInstanceInfosNodeInfo> haNodes(Ctx c, String cloudId, Duration budget) {
    var body = api.call(c.rds(), "DescribeDBInstanceHAConfig", budget, heartbeat("HA config of " + cloudId), rt -> c.rds()
        .client().describeDBInstanceHAConfigWithOptions(new DescribeDBInstanceHAConfigRequest().setDBInstanceId(cloudId), rt))
        .getBody();
    return body.getHostInstanceInfos() == null || body.getHostInstanceInfos().getNodeInfo() == null ? List.of()
        : body.getHostInstanceInfos().getNodeInfo();
  }

  private static DescribeDBInstanceHAConfigResponseBodyHostInstanceInfosNodeInfo node(
      List<DescribeDBInstanceHAConfigResponseBodyHostInstanceInfosNodeInfo> nodes, String type) {
    var matching = nodes.stream().filter(n -> type.equals(n.getNodeType())).toList();
    return matching.size() == 1 ? matching.get(0) : null;
  }

  private static String roles(List<DescribeDBInstanceHAConfigResponseBodyHostInstanceInfosNodeInfo> nodes) {
    return nodes.stream().map(n -> n.getNodeId() + "=" + n.getNodeType()).toList().toString();
  }

  private static String fact(OperationStepInput in, String name) {
    String v = in.facts() == null ? null : in.facts().get(name);
    if (v == null || v.isBlank()) {
      throw new StepFailure("fact " + name + " missing: the check step did not report it");
    }
    return v;
  }


}

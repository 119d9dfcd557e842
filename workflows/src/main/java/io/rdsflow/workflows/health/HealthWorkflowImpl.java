package io.rdsflow.workflows.health;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.activities.HealthControl;
import io.rdsflow.workflows.activities.MasterWatch;
import io.rdsflow.workflows.activities.NodeRebuild;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.operate.OperationResult;
import io.rdsflow.workflows.operate.OperationInput;
import io.rdsflow.workflows.operate.OperationWorkflow;
import io.rdsflow.workflows.steps.StepOptions;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * The watch loop: ask the metadata what to watch, watch the master from the slave's host (a long
 * activity that heartbeats every probe), and when it is dead claim the instance and run the failover
 * as a child workflow (it outlives this one). A refused claim (guard rails) waits a minute. A node waiting
 * for a rebuild (the old master after a failover) is rebuilt the same way, with trigger {@code auto}. The loop
 * continues as new every {@link #LOOPS} watches so its history stays short.
 */
public class HealthWorkflowImpl implements HealthWorkflow {
  static final int LOOPS = 50;
  private static final Logger LOG = Workflow.getLogger(HealthWorkflowImpl.class);
  private static final Duration WATCH = Duration.ofMinutes(5);
  /** Version marker of the automatic rebuild (watches recorded before it only waited). */
  static final String AUTO_REBUILD = "auto-rebuild";
  /** The automatic rebuild is tried at most this often. */
  static final Duration REBUILD_RETRY = Duration.ofSeconds(30);

  private final HealthControl control = Workflow.newActivityStub(HealthControl.class, StepOptions.control());

  @Override
  public void watch(HealthInput in) {
    for (int loop = 0; loop < LOOPS; loop++) {
      HealthTargets t = control.targets(in.instanceId());
      if (t.gone()) {
        return;
      }
      if (t.waitReason() != null) {
        if (t.rebuild() != null && Workflow.getVersion(AUTO_REBUILD, Workflow.DEFAULT_VERSION, 1) == 1) {
          rebuild(in.instanceId(), t.rebuild(), t.rebuildHost());
        } else {
          Workflow.sleep(Duration.ofSeconds(2));
        }
        continue;
      }
      Verdict v;
      try {
        v = watcher(t.readerHost()).watchMaster(new WatchInput(in.instanceId(), t.writer(), t.reader(), in.probeMillis(),
            in.failures(), WATCH.toMillis()));
      } catch (ActivityFailure e) {
        // the slave's host did not answer: nothing to fail over to from there; look again shortly
        Workflow.sleep(Duration.ofSeconds(5));
        continue;
      }
      if (v.masterDead()) {
        failOver(in.instanceId(), v.detail());
      }
    }
    Workflow.continueAsNew(in);
  }

  private void failOver(String instanceId, String evidence) {
    OperationInput op = control.claimAutoFailover(instanceId, evidence);
    if (op == null) {
      Workflow.sleep(Duration.ofMinutes(1));
      return;
    }
    OperationWorkflow failover = Workflow.newChildWorkflowStub(OperationWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(op.operationId()).setTaskQueue(TaskQueues.CONTROL)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON).build());
    try {
      failover.run(op);
    } catch (ChildWorkflowFailure e) {
      LOG.error("automatic failover {} of {} failed: {}", op.operationId(), instanceId, e.getMessage());
    }
  }

  /**
   * A node waits for a rebuild (the old master after a failover) and automatic failover is on: once its host
   * answers, claim the instance and run the rebuild (trigger {@code auto}) as a child workflow; a host that
   * does not answer, a refused claim or a failed rebuild is tried again after {@link #REBUILD_RETRY}.
   */
  private void rebuild(String instanceId, Role node, String host) {
    try {
      rebuildProbe(host).hostAnswers(instanceId, node);
    } catch (ActivityFailure e) {
      Workflow.sleep(REBUILD_RETRY);
      return;
    }
    OperationInput op = control.claimAutoRebuild(instanceId, node);
    if (op == null) {
      Workflow.sleep(REBUILD_RETRY);
      return;
    }
    OperationWorkflow rebuild = Workflow.newChildWorkflowStub(OperationWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(op.operationId()).setTaskQueue(TaskQueues.CONTROL)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON).build());
    OperationResult r;
    try {
      r = rebuild.run(op);
    } catch (ChildWorkflowFailure e) {
      r = new OperationResult(TaskStatus.FAILED, null, e.getMessage());
    }
    if (r.status() != TaskStatus.SUCCEEDED) {
      LOG.error("automatic rebuild {} of node {} of {} failed: {}", op.operationId(), node, instanceId, r.error());
      Workflow.sleep(REBUILD_RETRY);
    }
  }

  /** The rebuild's host answers within seconds, or the rebuild waits: its queue has no live worker. */
  private static NodeRebuild rebuildProbe(String host) {
    return Workflow.newActivityStub(NodeRebuild.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(host))
        .setScheduleToStartTimeout(Duration.ofSeconds(10))
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  private static MasterWatch watcher(String host) {
    return Workflow.newActivityStub(MasterWatch.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(host))
        .setStartToCloseTimeout(WATCH.plusMinutes(1))
        .setScheduleToStartTimeout(Duration.ofSeconds(30))
        .setHeartbeatTimeout(StepOptions.HEARTBEAT_TIMEOUT)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(2).build())
        .build());
  }
}

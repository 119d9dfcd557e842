package io.rdsflow.workflows.backup;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.activities.BackupScheduleControl;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.operate.OperationInput;
import io.rdsflow.workflows.operate.OperationResult;
import io.rdsflow.workflows.operate.OperationWorkflow;
import io.rdsflow.workflows.steps.StepOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * One day of the schedule: sleep (a Temporal timer) until the next {@code preferredTime}, read the policy again, claim
 * the instance and run the backup as a child workflow (it outlives this one), retrying every {@link #BUSY_RETRY} while
 * another operation holds the instance (at most {@link #BUSY_ATTEMPTS} times), apply retention, continue as new.
 */
public class BackupScheduleWorkflowImpl implements BackupScheduleWorkflow {
  static final Duration BUSY_RETRY = Duration.ofMinutes(5);
  static final int BUSY_ATTEMPTS = 24;
  private static final Logger LOG = Workflow.getLogger(BackupScheduleWorkflowImpl.class);

  private final BackupScheduleControl control = Workflow.newActivityStub(BackupScheduleControl.class, StepOptions.control());

  @Override
  public void run(String instanceId) {
    BackupSchedule s = control.schedule(instanceId);
    if (s.gone()) {
      return;
    }
    Workflow.sleep(BackupTimes.untilNext(Workflow.currentTimeMillis(), s.preferredTime()));
    s = control.schedule(instanceId);
    if (s.gone()) {
      return;
    }
    if (s.takeBackups()) {
      backup(instanceId);
    }
    LOG.info("backup retention of {}: {}", instanceId, control.applyRetention(instanceId));
    Workflow.continueAsNew(instanceId);
  }

  private void backup(String instanceId) {
    for (int attempt = 1; attempt <= BUSY_ATTEMPTS; attempt++) {
      OperationInput op = control.claimAutoBackup(instanceId);
      if (op == null) {
        Workflow.sleep(BUSY_RETRY);
        continue;
      }
      OperationWorkflow backup = Workflow.newChildWorkflowStub(OperationWorkflow.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(op.operationId()).setTaskQueue(TaskQueues.CONTROL)
          .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON).build());
      OperationResult r;
      try {
        r = backup.run(op);
      } catch (ChildWorkflowFailure e) {
        r = new OperationResult(TaskStatus.FAILED, null, e.getMessage());
      }
      if (r.status() != TaskStatus.SUCCEEDED) {
        LOG.error("scheduled backup {} of {} failed: {}", op.operationId(), instanceId, r.error());
      }
      return;
    }
    LOG.error("no scheduled backup of {} today: the instance was busy for {} attempts", instanceId, BUSY_ATTEMPTS);
  }
}

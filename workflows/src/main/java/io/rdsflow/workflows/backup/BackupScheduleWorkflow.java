package io.rdsflow.workflows.backup;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The backup policy of one local instance acted on (id {@code backup-schedule-<instanceId>}): every day at its
 * {@code preferredTime} a {@code backup} operation with trigger {@code auto}, then retention. Ends when the instance is
 * gone (see {@link BackupSchedule}).
 */
@WorkflowInterface
public interface BackupScheduleWorkflow {
  static String workflowId(String instanceId) {
    return "backup-schedule-" + instanceId;
  }

  @WorkflowMethod
  void run(String instanceId);
}

package io.rdsflow.workflows.archive;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Copies the closed binlogs of one local instance's serving master to the archive, round after round;
 * id {@code binlog-archive-<instanceId>}. Ends when the instance is gone.
 */
@WorkflowInterface
public interface BinlogArchiveWorkflow {
  static String workflowId(String instanceId) {
    return "binlog-archive-" + instanceId;
  }

  @WorkflowMethod
  void archive(ArchiveInput in);
}

package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Metadata steps of operations, on the control queue. */
@ActivityInterface
public interface OperationControl {
  /** The nodes exchange roles in the metadata: endpoints, collection and later operations follow. */
  @ActivityMethod(name = "rdsflow_swap_roles")
  OperationStepResult swapRoles(OperationStepInput in);

  /** The failed master is marked to be rebuilt before it may serve again. */
  @ActivityMethod(name = "rdsflow_mark_node_for_rebuild")
  OperationStepResult markNodeForRebuild(OperationStepInput in);

  /** The rebuilt node replicates again: its rebuild mark is cleared and it may serve again. */
  @ActivityMethod(name = "rdsflow_clear_rebuild_mark")
  OperationStepResult clearRebuildMark(OperationStepInput in);

  /**
   * The operation's row SUCCEEDED or FAILED, rows never run SKIPPED, the instance free for the next
   * operation, {@code rdsflow_operations_total} counted.
   */
  @ActivityMethod(name = "rdsflow_finish_operation")
  void finish(String instanceId, String operationId, TaskStatus status, String error);
}

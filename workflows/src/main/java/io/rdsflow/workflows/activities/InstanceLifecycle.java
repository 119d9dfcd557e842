package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import java.util.Map;

/** rdsflow's own bookkeeping around the seed's steps, on the control queue. */
@ActivityInterface
public interface InstanceLifecycle {
  /** Every step done: status RUNNING, task SUCCEEDED. */
  @ActivityMethod(name = "rdsflow_mark_instance_running")
  void markInstanceRunning(String instanceId, String workflowId);

  /**
   * After compensation (or a removal that gave up): ports freed, status FAILED naming the step. The task's
   * succeeded steps become COMPENSATED only when {@code cleanupProblems} is empty; otherwise they stay
   * SUCCEEDED with the message {@code not compensated: <problems>}, since what they built may still be
   * there. A running step is FAILED as interrupted either way.
   *
   * @param cleanupProblems what {@code Removal.removeAll} could not remove, one line each; empty when
   *     everything is gone; null (an activity scheduled before this parameter existed) counts as empty
   */
  @ActivityMethod(name = "rdsflow_mark_instance_failed")
  void markInstanceFailed(String instanceId, String workflowId, String failedStep, String message, List<String> cleanupProblems);

  /** Delete begins: status DELETING; returns role → host of the nodes to remove. */
  @ActivityMethod(name = "rdsflow_begin_delete")
  Map<String, String> beginDelete(String instanceId, String workflowId);

  /** Role → host of the instance's nodes, changing nothing (recovery of a lost creation). */
  @ActivityMethod(name = "rdsflow_placed_nodes")
  Map<String, String> placedNodes(String instanceId);

  /** Delete done: ports freed, monitoring off, status DELETED. */
  @ActivityMethod(name = "rdsflow_finish_delete")
  void finishDelete(String instanceId, String workflowId);
}

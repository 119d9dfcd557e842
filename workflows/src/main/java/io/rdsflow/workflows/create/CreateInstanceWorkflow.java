package io.rdsflow.workflows.create;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Creates one instance by running its engine's plan of seed steps; id {@code create-<instanceId>}. Its
 * progress is the task's {@code task_steps} rows ({@code GET /v1/instances/{id}/steps}), not a query.
 */
@WorkflowInterface
public interface CreateInstanceWorkflow {
  static String workflowId(String instanceId) {
    return "create-" + instanceId;
  }

  @WorkflowMethod
  CreateResult create(CreateInput input);

  /**
   * Stops the creation before its next stage and compensates (DeleteInstance while CREATING). A
   * signal rather than a cancel: the running step finishes, so no step is cut off mid-way.
   */
  @SignalMethod
  void abort(String reason);
}

package io.rdsflow.workflows.create;

import io.rdsflow.workflows.steps.Progress;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Creates one instance by running its engine's plan of seed steps; id {@code create-<instanceId>}. */
@WorkflowInterface
public interface CreateInstanceWorkflow {
  static String workflowId(String instanceId) {
    return "create-" + instanceId;
  }

  @WorkflowMethod
  CreateResult create(CreateInput input);

  /** The step records so far, in plan order. */
  @QueryMethod
  Progress progress();
}

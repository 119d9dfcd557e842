package io.rdsflow.workflows.delete;

import io.rdsflow.workflows.activities.InstanceLifecycle;
import io.rdsflow.workflows.steps.Removal;
import io.rdsflow.workflows.steps.StepOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;

/**
 * Marks the instance DELETING, removes every node on its host concurrently (for the aliyun engine, named
 * by the workflow's memo {@code engine}: the cloud instance), then marks it DELETED.
 */
public class DeleteInstanceWorkflowImpl implements DeleteInstanceWorkflow {
  private final InstanceLifecycle lifecycle = Workflow.newActivityStub(InstanceLifecycle.class, StepOptions.control());

  @Override
  public String delete(String instanceId) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    Map<String, String> nodes = lifecycle.beginDelete(instanceId, workflowId);
    boolean cloud = "aliyun".equals(Workflow.getMemo("engine", String.class));
    List<String> problems = Removal.removeAll(instanceId, cloud, cloud ? Map.of() : nodes);
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("could not remove: " + String.join("; ", problems), "NonRetryable");
    }
    lifecycle.finishDelete(instanceId, workflowId);
    return "DELETED";
  }
}

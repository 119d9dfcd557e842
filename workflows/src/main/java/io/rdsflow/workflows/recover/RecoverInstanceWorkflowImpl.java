package io.rdsflow.workflows.recover;

import io.rdsflow.workflows.activities.InstanceLifecycle;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.steps.Removal;
import io.rdsflow.workflows.steps.StepOptions;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;

/** Removes what the lost creation built (same removal as compensation and deletion), then FAILED. */
public class RecoverInstanceWorkflowImpl implements RecoverInstanceWorkflow {
  private final InstanceLifecycle lifecycle = Workflow.newActivityStub(InstanceLifecycle.class, StepOptions.control());

  @Override
  public String recover(String instanceId, String lostWorkflowId) {
    boolean cloud = Workflow.getMemo("engine", Engine.class) == Engine.ALIYUN;
    Map<String, String> nodes = cloud ? Map.of() : lifecycle.placedNodes(instanceId);
    List<String> problems = Removal.removeAll(instanceId, cloud, nodes);
    String message = "its workflow " + lostWorkflowId + " was lost when Temporal restarted without persistence; "
        + (problems.isEmpty() ? "what it had built was removed" : "cleanup incomplete: " + String.join("; ", problems));
    lifecycle.markInstanceFailed(instanceId, lostWorkflowId, "creation (interrupted)", message, problems);
    return "FAILED";
  }
}

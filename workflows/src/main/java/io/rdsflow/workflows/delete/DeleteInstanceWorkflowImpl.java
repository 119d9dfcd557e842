package io.rdsflow.workflows.delete;

import io.rdsflow.workflows.activities.InstanceLifecycle;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.steps.Removal;
import io.rdsflow.workflows.steps.StepOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;

/**
 * Marks the instance DELETING, removes every node on its host concurrently (for the aliyun engine, named
 * by the workflow's memo {@code engine}: the cloud instance), then marks it DELETED. A cloud instance that
 * could not be deleted (the cloud did not answer within {@code aliyun.deleteTimeout}, or refused) leaves
 * the instance FAILED naming it, and the workflow failed; a later DeleteInstance starts it again.
 */
public class DeleteInstanceWorkflowImpl implements DeleteInstanceWorkflow {
  /** Change id of {@code Workflow.getVersion}: a cloud removal that failed marks the instance FAILED. */
  static final String CLOUD_REMOVAL_FAILED = "cloud-removal-failed-marks-failed";

  private final InstanceLifecycle lifecycle = Workflow.newActivityStub(InstanceLifecycle.class, StepOptions.control());

  @Override
  public String delete(String instanceId) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    Map<String, String> nodes = lifecycle.beginDelete(instanceId, workflowId);
    boolean cloud = Workflow.getMemo("engine", Engine.class) == Engine.ALIYUN;
    List<String> problems = Removal.removeAll(instanceId, cloud, cloud ? Map.of() : nodes);
    if (!problems.isEmpty()) {
      String message = "could not remove: " + String.join("; ", problems);
      // before this change the instance stayed DELETING with the error the cleanup activity wrote
      if (cloud && Workflow.getVersion(CLOUD_REMOVAL_FAILED, Workflow.DEFAULT_VERSION, 1) >= 1) {
        lifecycle.markInstanceFailed(instanceId, workflowId, "deletion", message, problems);
      }
      throw ApplicationFailure.newNonRetryableFailure(message, "NonRetryable");
    }
    lifecycle.finishDelete(instanceId, workflowId);
    return "DELETED";
  }
}

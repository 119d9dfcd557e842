package io.rdsflow.workflows.delete;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Removes an instance: every node stopped and removed, ports freed, status DELETED; id {@code delete-<instanceId>}. */
@WorkflowInterface
public interface DeleteInstanceWorkflow {
  static String workflowId(String instanceId) {
    return "delete-" + instanceId;
  }

  /** @return the final status, DELETED */
  @WorkflowMethod
  String delete(String instanceId);
}

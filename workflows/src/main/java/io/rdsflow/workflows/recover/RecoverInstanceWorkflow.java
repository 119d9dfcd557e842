package io.rdsflow.workflows.recover;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Compensates a creation whose workflow was lost (the in-memory Temporal restarted under it): removes
 * whatever it had built — server processes, directories, ports, the cloud instance — and marks the
 * instance FAILED; id {@code recover-<instanceId>}. The engine comes from the memo {@code engine}.
 */
@WorkflowInterface
public interface RecoverInstanceWorkflow {
  static String workflowId(String instanceId) {
    return "recover-" + instanceId;
  }

  /**
   * @param lostWorkflowId the creation's workflow, whose task and steps are closed
   * @return the final status, FAILED
   */
  @WorkflowMethod
  String recover(String instanceId, String lostWorkflowId);
}

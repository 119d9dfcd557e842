package io.rdsflow.workflows.health;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Watches one local master-slave instance and fails it over automatically (trigger {@code auto});
 * id {@code health-<instanceId>}. Ends when the instance is gone.
 */
@WorkflowInterface
public interface HealthWorkflow {
  static String workflowId(String instanceId) {
    return "health-" + instanceId;
  }

  @WorkflowMethod
  void watch(HealthInput in);
}

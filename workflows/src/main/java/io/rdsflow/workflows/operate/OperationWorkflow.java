package io.rdsflow.workflows.operate;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One day-2 operation (DESIGN §4b); workflow id = operation id {@code op-<instanceId>-<n>}. */
@WorkflowInterface
public interface OperationWorkflow {
  static String operationId(String instanceId, int n) {
    return "op-" + instanceId + "-" + n;
  }

  @WorkflowMethod
  OperationResult run(OperationInput in);
}

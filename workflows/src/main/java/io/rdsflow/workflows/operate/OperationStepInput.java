package io.rdsflow.workflows.operate;

import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.StepInput;
import java.util.Map;

/**
 * The one argument of every operation step: the step's row (as {@link StepInput}) and the facts
 * earlier steps of the operation reported (e.g. the GTID position at which the old master stopped
 * writes). Facts are positions and names, never secrets.
 */
public record OperationStepInput(String instanceId, String operationId, int seq, String step, Role node,
    Map<String, String> facts) {
  public StepInput row() {
    return new StepInput(instanceId, operationId, seq, step, node);
  }
}

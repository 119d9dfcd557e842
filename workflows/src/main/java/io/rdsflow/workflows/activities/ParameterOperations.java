package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** {@code modify-parameters} on a node, on its host's queue (see {@code SpecChangePlans}). */
@ActivityInterface
public interface ParameterOperations {
  /** The dynamic parameters of the facts set live (SET GLOBAL), my.cnf rewritten from the stored parameters. */
  @ActivityMethod(name = "rdsflow_set_parameters_live")
  OperationStepResult setParametersLive(OperationStepInput in);
}

package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** {@code modify-parameters}, on the control queue (see {@code SpecChangePlans}). */
@ActivityInterface
public interface ParameterControl {
  /** The operation's parameters stored as the instance's (mycnf_custinstance); each reported as a fact. */
  @ActivityMethod(name = "rdsflow_persist_parameters")
  OperationStepResult persistParameters(OperationStepInput in);
}

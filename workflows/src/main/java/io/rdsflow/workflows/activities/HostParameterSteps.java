package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Host steps of seed 003, time zones and parameters, on the node's host queue {@code host.<hostName>}. */
@ActivityInterface
public interface HostParameterSteps {
  /** Loads the system time zone tables (on the master; they replicate). */
  @ActivityMethod(name = "do_insert_time_zone_tables")
  StepResult doInsertTimeZoneTables(StepInput in);

  /** Sets the requested default time zone, live and in my.cnf. */
  @ActivityMethod(name = "do_reset_named_timezone_config")
  StepResult doResetNamedTimezoneConfig(StepInput in);

  /** Checks that the running server has every custom parameter's value. */
  @ActivityMethod(name = "do_persis_custins_param")
  StepResult doPersisCustinsParam(StepInput in);
}

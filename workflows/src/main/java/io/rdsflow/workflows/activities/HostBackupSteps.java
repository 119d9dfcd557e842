package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Host steps of seed 003, backup, on the node's host queue {@code host.<hostName>}. */
@ActivityInterface
public interface HostBackupSteps {
  /** A first full backup, recorded in {@code backup_plans}. */
  @ActivityMethod(name = "do_start_create_new_backup")
  StepResult doStartCreateNewBackup(StepInput in);
}

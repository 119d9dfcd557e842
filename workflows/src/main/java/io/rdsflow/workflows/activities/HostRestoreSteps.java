package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * A clone's own steps (not in seed 003), on the node's host queue {@code host.<hostName>}: the node's data directory
 * restored from the source's full backup in place of {@code do_init_mysql_db_*}, then, with the server started,
 * rolled forward to the requested point in time from the source's binlog archive.
 */
@ActivityInterface
public interface HostRestoreSteps {
  @ActivityMethod(name = "rdsflow_restore_backup_master")
  StepResult restoreBackupMaster(StepInput in);

  @ActivityMethod(name = "rdsflow_restore_backup_slave")
  StepResult restoreBackupSlave(StepInput in);

  @ActivityMethod(name = "rdsflow_roll_forward_master")
  StepResult rollForwardMaster(StepInput in);

  @ActivityMethod(name = "rdsflow_roll_forward_slave")
  StepResult rollForwardSlave(StepInput in);
}

package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The host step of a {@code backup} operation, on the task queue of the host of the node it backs up. */
@ActivityInterface
public interface BackupSteps {
  /**
   * {@code mariadb-backup --backup --stream=xbstream | zstd} into {@code <backup.dir>/<instanceId>/full/<backupId>.xb.zst},
   * recorded in {@code backups} (RUNNING, then SUCCEEDED with size, GTID and SHA-256, or FAILED); reports the backup id.
   */
  @ActivityMethod(name = "rdsflow_take_full_backup")
  OperationStepResult takeFullBackup(OperationStepInput in);
}

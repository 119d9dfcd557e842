package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.backup.BackupSchedule;
import io.rdsflow.workflows.operate.OperationInput;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The metadata side of the backup schedule, on the control queue. */
@ActivityInterface
public interface BackupScheduleControl {
  /** The instance's backup policy and whether it is still acted on. */
  @ActivityMethod(name = "rdsflow_backup_schedule")
  BackupSchedule schedule(String instanceId);

  /** Claims the instance for a {@code backup} operation with trigger {@code auto}; null while it is busy or not RUNNING. */
  @ActivityMethod(name = "rdsflow_claim_auto_backup")
  OperationInput claimAutoBackup(String instanceId);

  /**
   * Removes the full backups (files and rows) older than the policy's {@code retentionDays}, never the newest successful
   * one nor one still RUNNING; says what it removed.
   */
  @ActivityMethod(name = "rdsflow_apply_backup_retention")
  String applyRetention(String instanceId);
}

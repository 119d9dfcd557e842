package io.rdsflow.workflows.backup;

/**
 * What the backup schedule of one instance does now: nothing more once {@code gone} (the instance is not a local one
 * any more, or it was deleted and retention has nothing left to remove); backups only while {@code takeBackups} (the
 * instance runs); at {@code preferredTime} (UTC {@code HH:mm}) each day, keeping {@code retentionDays} of them.
 */
public record BackupSchedule(boolean gone, boolean takeBackups, String preferredTime, int retentionDays) {}

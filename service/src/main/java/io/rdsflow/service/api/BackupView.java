package io.rdsflow.service.api;

import io.rdsflow.activities.meta.BackupDao;
import java.time.Instant;

/**
 * One backup of {@code GET /v1/instances/{id}/backups}: {@code node} is the node's name, {@code method}
 * {@code mariadb-backup} (physical) or {@code mariadb-dump} (logical, the last resort), {@code gtid} the position it is
 * consistent at, {@code checksum} the SHA-256 of its file.
 */
public record BackupView(String backupId, String kind, String node, String method, Instant startedAt, Instant finishedAt,
    Long sizeBytes, String gtid, String checksum, String status, String error) {
  public static BackupView of(BackupDao.Backup b) {
    return new BackupView(b.backupId(), b.kind(), b.node(), b.method(), b.startedAt(), b.finishedAt(), b.sizeBytes(), b.gtid(),
        b.checksum(), b.status(), b.error());
  }
}

package io.rdsflow.activities.ops;

import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.activities.meta.BinlogArchiveDao;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which full backups retention removes: those started more than {@code retentionDays} before {@code now}, except the
 * newest successful full backup (whatever its age) and any still RUNNING. Other kinds are not its business.
 */
public final class BackupRetention {
  private BackupRetention() {}

  public static List<BackupDao.Backup> expired(List<BackupDao.Backup> backups, Instant now, int retentionDays) {
    Instant cutoff = now.minus(Duration.ofDays(Math.max(0, retentionDays)));
    Optional<String> newest = newestSucceeded(backups);
    return backups.stream()
        .filter(b -> BackupDao.FULL.equals(b.kind()))
        .filter(b -> !BackupDao.RUNNING.equals(b.status()))
        .filter(b -> b.startedAt().isBefore(cutoff))
        .filter(b -> newest.isEmpty() || !newest.get().equals(b.backupId()))
        .toList();
  }

  /**
   * The archived binlogs no restore needs: those whose last event is before the oldest of the {@code kept} successful full
   * backups started (a restore replays from a backup's position on, see {@code ArchiveSegments}). None without such a backup.
   */
  public static List<BinlogArchiveDao.Archived> unneededBinlogs(List<BinlogArchiveDao.Archived> archived, List<BackupDao.Backup> kept) {
    Optional<Instant> oldest = kept.stream()
        .filter(b -> BackupDao.FULL.equals(b.kind()) && BackupDao.SUCCEEDED.equals(b.status()))
        .map(BackupDao.Backup::startedAt).min(Comparator.naturalOrder());
    return oldest.map(t -> archived.stream().filter(a -> a.lastEventAt() < t.getEpochSecond() - 1).toList()).orElse(List.of());
  }

  /** The id of the newest successful full backup, if any. */
  public static Optional<String> newestSucceeded(List<BackupDao.Backup> backups) {
    return backups.stream()
        .filter(b -> BackupDao.FULL.equals(b.kind()) && BackupDao.SUCCEEDED.equals(b.status()))
        .max(Comparator.comparing(BackupDao.Backup::startedAt))
        .map(BackupDao.Backup::backupId);
  }
}

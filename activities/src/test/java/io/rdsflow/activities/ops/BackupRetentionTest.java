package io.rdsflow.activities.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.activities.meta.BackupDao;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupRetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-30T02:00:00Z");

  private static BackupDao.Backup backup(String id, String kind, String status, int daysAgo) {
    Instant started = NOW.minus(Duration.ofDays(daysAgo)).minusSeconds(60);
    return new BackupDao.Backup(id, "rl-1", "op-" + id, kind, "slave", "h0", "mariadb-backup", status, started,
        started.plusSeconds(30), 100L, "0-1-1", null, null, "c", "/b/" + id, null);
  }

  private static List<String> ids(List<BackupDao.Backup> list) {
    return list.stream().map(BackupDao.Backup::backupId).toList();
  }

  @Test
  void removesFullBackupsOlderThanTheRetentionDaysOnly() {
    List<BackupDao.Backup> all = List.of(backup("new", "full", "SUCCEEDED", 0), backup("six", "full", "SUCCEEDED", 6),
        backup("seven", "full", "SUCCEEDED", 7), backup("ten", "full", "FAILED", 10), backup("binlog", "binlog", "SUCCEEDED", 30));
    assertThat(ids(BackupRetention.expired(all, NOW, 7))).containsExactlyInAnyOrder("seven", "ten");
  }

  @Test
  void neverRemovesTheNewestSuccessfulFullBackupNorARunningOne() {
    List<BackupDao.Backup> all = List.of(backup("failed-new", "full", "FAILED", 1), backup("old-ok", "full", "SUCCEEDED", 20),
        backup("older-ok", "full", "SUCCEEDED", 30), backup("stuck", "full", "RUNNING", 40));
    assertThat(ids(BackupRetention.expired(all, NOW, 7))).containsExactly("older-ok");
    assertThat(BackupRetention.newestSucceeded(all)).contains("old-ok");
  }

  @Test
  void withoutAnySuccessfulBackupOldFailuresGo() {
    assertThat(ids(BackupRetention.expired(List.of(backup("f", "full", "FAILED", 9)), NOW, 7))).containsExactly("f");
    assertThat(BackupRetention.expired(List.of(), NOW, 7)).isEmpty();
  }

  @Test
  void binlogsEndingBeforeTheOldestKeptFullBackupStartedAreNotNeeded() {
    BackupDao.Backup kept = backup("kept", "full", "SUCCEEDED", 3);
    long started = kept.startedAt().getEpochSecond();
    var before = binlog("a", started - 7200, started - 60);
    var across = binlog("b", started - 60, started + 60);
    var after = binlog("c", started + 60, started + 7200);
    assertThat(BackupRetention.unneededBinlogs(List.of(before, across, after), List.of(kept, backup("failed", "full", "FAILED", 1))))
        .containsExactly(before);
    assertThat(BackupRetention.unneededBinlogs(List.of(before), List.of(backup("f", "full", "FAILED", 9))))
        .as("no successful full backup: every binlog kept").isEmpty();
  }

  private static io.rdsflow.activities.meta.BinlogArchiveDao.Archived binlog(String name, long first, long last) {
    return new io.rdsflow.activities.meta.BinlogArchiveDao.Archived("rl-1", "master", name, "/b/" + name, first, last, "", 1, "s");
  }
}

package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.Backups;
import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.mysqld.MysqldServer;
import java.time.Duration;

/**
 * A full backup of the step's node into the backup directory, recorded in {@code backups} (RUNNING while it is
 * taken, SUCCEEDED with size, GTID, binlog position and SHA-256, or FAILED with the reason) and as the instance's
 * last backup in {@code backup_plans}. The creation's first backup and the {@code backup} operation both take it here.
 */
final class NodeBackup {
  static final Duration TIMEOUT = Duration.ofMinutes(50);

  /** The recorded row's id and what was taken. */
  record Taken(String backupId, Backups.Backup backup) {}

  private final NodeAccess access;
  private final BackupDao backups;

  NodeBackup(NodeAccess access, BackupDao backups) {
    this.access = access;
    this.backups = backups;
  }

  /** Backs up node {@code n} of {@code instanceId} for {@code operationId} (a creation's workflow id or an operation's id). */
  Taken take(NodeContext n, String instanceId, String operationId) throws Exception {
    MysqldServer server = n.server();
    BackupDao.Backup row = backups.start(instanceId, operationId, BackupDao.FULL, n.role.wire(), access.host.name(),
        Backups.method(server.binaries()));
    Backups.Backup b;
    try {
      if (!server.greets()) {
        throw new IllegalArgumentException("node " + n.role + " does not answer: there is nothing to back up");
      }
      b = Backups.full(server, "root", n.rootPassword(), Backups.fullDir(access.host.backupDir(), instanceId), row.backupId(),
          TIMEOUT, () -> StepRunner.heartbeat("backup " + row.backupId()));
    } catch (IllegalArgumentException e) { // a missing tool: retrying does not help
      backups.failed(row.backupId(), e.getMessage());
      throw new StepFailure(e.getMessage());
    } catch (Exception e) {
      backups.failed(row.backupId(), String.valueOf(e.getMessage()));
      throw e;
    }
    backups.succeeded(row.backupId(), new BackupDao.Result(b.method(), b.bytes(), b.gtid(), b.binlogFile(), b.binlogPos(),
        b.sha256(), b.path().toString()));
    access.requests.recordBackup(instanceId, b.path().toString(), b.bytes(), b.method());
    return new Taken(row.backupId(), b);
  }

  /** What a step reports of it. */
  static String describe(NodeContext n, Taken t) {
    Backups.Backup b = t.backup();
    return "backup " + t.backupId() + " of node " + n.role + " (" + b.method() + (b.method().equals(Backups.LOGICAL)
        ? ": a logical dump, mariadb-backup is not available for this server" : " | zstd") + ", " + b.bytes() + " bytes, sha256 "
        + b.sha256() + ") in " + b.took().toMillis() + " ms, consistent at GTID " + b.gtid()
        + (b.binlogFile() == null ? "" : " (" + b.binlogFile() + ":" + b.binlogPos() + ")") + ": " + b.path();
  }
}

package io.rdsflow.activities.steps;

import static io.rdsflow.activities.steps.HostSql.exec;

import io.rdsflow.activities.local.ArchiveSegments;
import io.rdsflow.activities.local.Backups;
import io.rdsflow.activities.local.BinlogReplay;
import io.rdsflow.activities.local.DataDirTemplate;
import io.rdsflow.activities.local.PhysicalCopy;
import io.rdsflow.activities.local.RebuildDirs;
import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.activities.meta.BinlogArchiveDao;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.mysqld.FileTrees;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.Sql;
import io.rdsflow.workflows.activities.HostRestoreSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A clone's node prepared from its source's full backup. {@code rdsflow_restore_backup_*}: the backup file
 * ({@code zstd -dc | mbstream -x}, {@code mariadb-backup --prepare}) becomes the node's data directory, in place of
 * {@code do_init_mysql_db_*}; the source's accounts, with their passwords, come with it. {@code rdsflow_roll_forward_*},
 * once the server answers: the node's binlog restarts at the backup's GTID position, the source's archived binlogs are
 * replayed up to the requested instant (a clone of a backup replays none), and {@code gtid_slave_pos} is set where the
 * data ends. Both nodes of a pair are restored and rolled forward alike, so they hold the same data and GTID position
 * before replication is set up and replication has nothing to carry over (replaying through it would also send the
 * source's transactions back round the dual-master ring).
 *
 * <p>The backup and the archive must be readable on the node's host: {@code backup.dir} on that host or a directory
 * shared by the hosts.
 */
public final class HostRestoreStepsImpl implements HostRestoreSteps {
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(55);
  /** In a node's home while its roll-forward runs: found by a retried attempt, which cannot tell what was applied. */
  static final String ROLLING = ".roll-forward-started";
  /** In a node's home once rolled forward: the GTID position the data ends at. */
  static final String ROLLED = ".roll-forward-done";

  private final StepRunner runner;
  private final NodeAccess access;
  private final BackupDao backups;
  private final BinlogArchiveDao archive;

  public HostRestoreStepsImpl(StepRunner runner, NodeAccess access, BackupDao backups, BinlogArchiveDao archive) {
    this.runner = runner;
    this.access = access;
    this.backups = backups;
    this.archive = archive;
  }

  @Override
  public StepResult restoreBackupMaster(StepInput in) { // rdsflow_restore_backup_master
    return restoreBackup(in);
  }

  @Override
  public StepResult restoreBackupSlave(StepInput in) { // rdsflow_restore_backup_slave
    return restoreBackup(in);
  }

  @Override
  public StepResult rollForwardMaster(StepInput in) { // rdsflow_roll_forward_master
    return rollForward(in);
  }

  @Override
  public StepResult rollForwardSlave(StepInput in) { // rdsflow_roll_forward_slave
    return rollForward(in);
  }

  private StepResult restoreBackup(StepInput in) {
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      BackupDao.Backup backup = backupOf(restoreOf(n));
      if (!Files.isReadable(Path.of(backup.path()))) {
        throw new StepFailure("backup file " + backup.path() + " is not on host " + access.host.name() + " (taken on "
            + backup.host() + "): the backup directory must be shared by the hosts");
      }
      MysqldServer server = n.server();
      if (DataDirTemplate.isCopied(server)) {
        return StepResult.of("data directory already restored from " + backup.backupId());
      }
      server.stop(Duration.ofMinutes(1)); // one started from a restore cut short by a crash
      Path home = server.home();
      Path incoming = RebuildDirs.moveAside(home);
      long start = System.nanoTime();
      String gtid;
      try {
        gtid = PhysicalCopy.restore(server.binaries(), Path.of(backup.path()), incoming, home.resolve("log/restore.log"),
            RESTORE_TIMEOUT, () -> StepRunner.heartbeat("extracting and preparing " + backup.backupId()));
      } catch (IllegalArgumentException e) {
        throw new StepFailure(e.getMessage()); // a missing tool: retrying cannot help
      }
      RebuildDirs.install(home, server.dataDir());
      FileTrees.delete(home.resolve(RebuildDirs.ASIDE));
      server.writeConfig(); // the node's own binlog and relay directories, empty
      Files.writeString(home.resolve(DataDirTemplate.COPIED), backup.backupId() + "\n");
      return StepResult.of("restored " + backup.backupId() + " of " + backup.instanceId() + " (" + backup.sizeBytes()
          + " bytes, taken " + backup.finishedAt() + ") into " + server.dataDir() + " in " + (System.nanoTime() - start) / 1_000_000
          + " ms; consistent at GTID " + gtid);
    });
  }

  private StepResult rollForward(StepInput in) {
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      CreateRequest.Restore restore = restoreOf(n);
      BackupDao.Backup backup = backupOf(restore);
      MysqldServer server = n.server();
      Path home = server.home();
      if (Files.exists(home.resolve(ROLLED))) {
        return StepResult.of("already rolled forward to GTID " + Files.readString(home.resolve(ROLLED)).trim());
      }
      if (Files.exists(home.resolve(ROLLING))) {
        throw new StepFailure("an earlier attempt of this roll-forward was interrupted part-way; what it applied is unknown, "
            + "so the node cannot be rolled forward again: delete this clone and clone again");
      }
      String gtid = PhysicalCopy.gtidOf(server.dataDir()).filter(g -> !g.isBlank()).orElse(backup.gtid());
      if (gtid == null || !gtid.matches("[0-9,\\- ]*")) {
        throw new StepFailure("backup " + backup.backupId() + " names no usable GTID position: " + gtid);
      }
      Files.writeString(home.resolve(ROLLING), Instant.now() + "\n");
      String replayed = "none (a clone of the backup itself)";
      String end;
      try (Connection c = n.root()) {
        exec(c, "STOP SLAVE");
        exec(c, "RESET SLAVE ALL");
        // the node's binlog starts at the backup's position: the peer's replication asks for positions from there on
        exec(c, "RESET MASTER");
        exec(c, "SET GLOBAL gtid_binlog_state = " + Sql.literal(gtid));
        if (restore.pointInTime() != null) {
          Instant until = Instant.parse(restore.pointInTime());
          List<List<Path>> runs = ArchiveSegments.between(archive.list(restore.sourceInstanceId()), backup.startedAt(), until);
          long files = 0;
          long start = System.nanoTime();
          for (List<Path> run : runs) {
            for (Path f : run) {
              if (!Files.isReadable(f)) {
                throw new StepFailure("archived binlog " + f + " is not on host " + access.host.name()
                    + ": the backup directory must be shared by the hosts");
              }
            }
            try {
              BinlogReplay.replay(server, n.rootPassword(), run, position(c), until, home.resolve("log/roll-forward.log"),
                  RESTORE_TIMEOUT, () -> StepRunner.heartbeat("replaying archived binlogs up to " + until));
            } catch (IllegalArgumentException e) {
              throw new StepFailure(e.getMessage());
            }
            files += run.size();
          }
          replayed = files + " archived binlog file(s) in " + runs.size() + " run(s) up to " + until + " in "
              + (System.nanoTime() - start) / 1_000_000 + " ms";
        }
        end = position(c);
        exec(c, "SET GLOBAL gtid_slave_pos = " + Sql.literal(end));
      }
      Files.writeString(home.resolve(ROLLED), end + "\n");
      Files.delete(home.resolve(ROLLING));
      return StepResult.of("binlog restarted at " + backup.backupId() + "'s GTID " + gtid + "; replayed " + replayed
          + "; data ends at GTID " + end + " (gtid_slave_pos)");
    });
  }

  private static String position(Connection c) throws java.sql.SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static CreateRequest.Restore restoreOf(NodeContext n) {
    CreateRequest.Restore r = n.request().restore();
    if (r == null) {
      throw new StepFailure("instance " + n.instanceId() + " is not a clone: its request names no source");
    }
    return r;
  }

  /** The source's backup the clone starts from: finished and physical (its file is read by the restore step only). */
  private BackupDao.Backup backupOf(CreateRequest.Restore r) {
    BackupDao.Backup b = backups.find(r.backupId())
        .orElseThrow(() -> new StepFailure("backup " + r.backupId() + " of " + r.sourceInstanceId() + " no longer exists"));
    if (!BackupDao.SUCCEEDED.equals(b.status()) || b.path() == null) {
      throw new StepFailure("backup " + b.backupId() + " is " + b.status() + ", not a finished backup");
    }
    if (!Backups.PHYSICAL.equals(b.method())) {
      throw new StepFailure("backup " + b.backupId() + " was taken with " + b.method() + ": a clone restores a physical backup");
    }
    return b;
  }
}

package io.rdsflow.service.instances;

import io.rdsflow.activities.meta.BinlogArchiveDao;
import io.rdsflow.activities.meta.CloudBackupDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.workflows.domain.Engine;
import java.time.temporal.ChronoUnit;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The instants an instance can be restored to: from the finish of its oldest successful full backup (the
 * {@code backups} table; without one, where its binlog archive starts) to the last event of its newest archived
 * binlog. Works for a deleted instance too: backups and archived binlogs outlive it. An aliyun instance's window runs
 * from the first backup set rdsflow saw finish to now (the cloud's log backup is continuous).
 */
public final class RecoveryWindow {
  /** {@code earliest}/{@code latest}: null while there is nothing to restore from. */
  public record Window(Instant earliest, Instant latest) {
    public boolean covers(Instant t) {
      return earliest != null && latest != null && !t.isBefore(earliest) && !t.isAfter(latest);
    }
  }

  private final Jdbi jdbi;
  private final BinlogArchiveDao archive;
  private final InstanceDao instances;
  private final CloudBackupDao cloudBackups;

  public RecoveryWindow(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.archive = new BinlogArchiveDao(jdbi);
    this.instances = new InstanceDao(jdbi);
    this.cloudBackups = new CloudBackupDao(jdbi);
  }

  public Window of(String instanceId) {
    boolean cloud = instances.find(instanceId).map(i -> i.engine() == Engine.ALIYUN).orElse(false);
    if (cloud) {
      // the cloud keeps log backups continuously: from the first backup set rdsflow saw finish to now
      Optional<Instant> first = cloudBackups.oldestFinished(instanceId).map(e -> e.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
      return new Window(first.orElse(null), first.isEmpty() ? null : Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
    Optional<Instant> latest = archive.latest(instanceId).map(Instant::ofEpochSecond);
    Optional<Instant> backup = oldestFullBackup(instanceId);
    Optional<Instant> earliest = backup.isPresent() ? backup : archive.earliest(instanceId).map(Instant::ofEpochSecond);
    if (latest.isEmpty() && backup.isPresent()) {
      latest = backup; // no binlog archived yet: the backup's own point
    }
    if (earliest.isEmpty() || latest.isEmpty() || latest.get().isBefore(earliest.get())) {
      return new Window(earliest.orElse(null), earliest.isPresent() ? earliest.get() : null);
    }
    return new Window(earliest.get(), latest.get());
  }

  /** The finish time of the oldest successful full backup; empty also while the {@code backups} table does not exist. */
  private Optional<Instant> oldestFullBackup(String instanceId) {
    try {
      return jdbi.withHandle(h -> h.createQuery("SELECT MIN(finished_at) FROM backups WHERE ins_id = :i AND kind = 'full' "
              + "AND status = 'SUCCEEDED'")
          .bind("i", instanceId).mapTo(Timestamp.class).findOne()).map(Timestamp::toInstant);
    } catch (UnableToExecuteStatementException e) {
      return Optional.empty(); // no backups table (older schema)
    }
  }
}

package io.rdsflow.activities.ops;

import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.activities.meta.BinlogArchiveDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.NodeRoles;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.workflows.activities.BackupScheduleControl;
import io.rdsflow.workflows.backup.BackupSchedule;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.Trigger;
import io.rdsflow.workflows.operate.OperationInput;
import io.rdsflow.workflows.operate.OperationPlans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup schedule's metadata: the policy of {@code backup_plans}, the claim of an automatic backup, and retention
 * (files under the shared backup directory and their rows, removed from the control process).
 */
public final class BackupScheduleControlImpl implements BackupScheduleControl {
  private static final Logger LOG = LoggerFactory.getLogger(BackupScheduleControlImpl.class);

  private final Jdbi jdbi;
  private final InstanceDao instances;
  private final RequestDao requests;
  private final BackupDao backups;
  private final BinlogArchiveDao archive;
  private final Clock clock;

  public BackupScheduleControlImpl(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.instances = new InstanceDao(jdbi);
    this.requests = new RequestDao(jdbi);
    this.backups = new BackupDao(jdbi);
    this.archive = new BinlogArchiveDao(jdbi);
    this.clock = clock;
  }

  @Override
  public BackupSchedule schedule(String instanceId) {
    Optional<InstanceDao.Instance> ins = instances.find(instanceId);
    Optional<RequestDao.BackupPlan> plan = requests.backupPlan(instanceId);
    if (ins.isEmpty() || ins.get().engine() != Engine.LOCAL || plan.isEmpty()) {
      return new BackupSchedule(true, false, "00:00", 0);
    }
    InstanceStatus status = ins.get().status();
    boolean ended = status == InstanceStatus.DELETED || status == InstanceStatus.FAILED;
    // an instance that is gone keeps its schedule while retention still has something to remove
    boolean gone = ended && backups.list(instanceId).size() <= 1;
    return new BackupSchedule(gone, status == InstanceStatus.RUNNING, plan.get().preferredTime(), plan.get().retentionDays());
  }

  @Override
  public OperationInput claimAutoBackup(String instanceId) {
    InstanceDao.Instance ins = instances.find(instanceId).orElse(null);
    if (ins == null || ins.status() != InstanceStatus.RUNNING) {
      return null;
    }
    NodeRoles roles = new NodeRoles(jdbi);
    Map<String, String> hosts = new TreeMap<>();
    new NodeDao(jdbi).nodes(instanceId).forEach(n -> hosts.put(n.role().wire(), n.host()));
    Optional<OperationInput> claimed = OperationClaims.claim(jdbi, instanceId, OperationType.BACKUP, Trigger.AUTO,
        OperationPlans.backup(roles.writer(instanceId), ins.masterSlave(), roles.needingRebuild(instanceId)), hosts,
        Json.write(Map.of("type", "backup")));
    claimed.ifPresent(op -> LOG.info("[{}] scheduled backup {}", instanceId, op.operationId()));
    return claimed.orElse(null);
  }

  @Override
  public String applyRetention(String instanceId) {
    int days = requests.backupPlan(instanceId).map(RequestDao.BackupPlan::retentionDays).orElse(Integer.MAX_VALUE);
    List<BackupDao.Backup> all = backups.list(instanceId);
    List<String> removed = new ArrayList<>();
    for (BackupDao.Backup b : BackupRetention.expired(all, clock.instant(), days)) {
      try {
        if (b.path() != null) {
          Files.deleteIfExists(Path.of(b.path()));
        }
        backups.delete(b.backupId());
        removed.add(b.backupId());
      } catch (IOException e) {
        LOG.warn("[{}] backup {} could not be removed: {}", instanceId, b.backupId(), e.getMessage());
      }
    }
    String kept = BackupRetention.newestSucceeded(all).map(id -> "; newest kept: " + id).orElse("");
    String binlogs = removeUnneededBinlogs(instanceId, all.stream().filter(b -> !removed.contains(b.backupId())).toList());
    return (removed.isEmpty() ? "nothing older than " + days + " days" + kept
        : "removed " + removed.size() + " older than " + days + " days: " + String.join(", ", removed) + kept) + binlogs;
  }

  /**
   * Archived binlogs that end before the oldest kept full backup started hold nothing a restore can replay (every
   * restore starts from a kept backup): they go with the backups retention removed. With no successful full backup
   * left, every archived binlog is kept.
   */
  private String removeUnneededBinlogs(String instanceId, List<BackupDao.Backup> kept) {
    List<BinlogArchiveDao.Archived> unneeded = BackupRetention.unneededBinlogs(archive.list(instanceId), kept);
    int n = 0;
    for (BinlogArchiveDao.Archived a : unneeded) {
      try {
        Files.deleteIfExists(Path.of(a.path()));
        archive.delete(a);
        n++;
      } catch (IOException e) {
        LOG.warn("[{}] archived binlog {} could not be removed: {}", instanceId, a.path(), e.getMessage());
      }
    }
    return n == 0 ? "" : "; " + n + " archived binlog(s) older than the oldest kept backup removed";
  }
}

package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.Replication;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.NodeRoles;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.workflows.activities.MasterWatch;
import io.rdsflow.workflows.health.Verdict;
import io.rdsflow.workflows.health.WatchInput;
import io.rdsflow.workflows.steps.StepInput;
import io.temporal.activity.Activity;
import java.sql.Connection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the master from the slave's host every {@code probeMillis} (a MySQL greeting on its port) and
 * declares it dead only when {@code failures} probes in a row failed <em>and</em> the slave's IO thread
 * lost it too: a blip of the probe alone never fails over. Heartbeats every probe; returns early when
 * the metadata changed (another master, an operation started, automatic failover switched off).
 */
public final class MasterWatchImpl implements MasterWatch {
  private static final Logger LOG = LoggerFactory.getLogger(MasterWatchImpl.class);
  private static final long METADATA_EVERY_MILLIS = 3000;

  private final NodeAccess access;
  private final NodeRoles roles;
  private final OperationDao operations;

  public MasterWatchImpl(NodeAccess access, NodeRoles roles, OperationDao operations) {
    this.access = access;
    this.roles = roles;
    this.operations = operations;
  }

  @Override
  public Verdict watchMaster(WatchInput in) {
    NodeContext reader = access.load(new StepInput(in.instanceId(), "health-" + in.instanceId(), 0, "rdsflow_watch_master",
        in.reader()));
    NodeDao.Node writer = reader.peer();
    String address = access.address(writer);
    long end = System.currentTimeMillis() + in.maxMillis();
    long nextMetadata = 0;
    int failed = 0;
    try {
      while (System.currentTimeMillis() < end) {
        long now = System.currentTimeMillis();
        if (now >= nextMetadata) {
          Optional<String> changed = changed(in);
          if (changed.isPresent()) {
            return new Verdict(false, changed.get());
          }
          nextMetadata = now + METADATA_EVERY_MILLIS;
        }
        if (MysqldServer.greets(address, writer.port())) {
          failed = 0;
        } else if (++failed >= in.failures()) {
          Optional<String> lost = replicaLostMaster(reader);
          if (lost.isPresent()) {
            String evidence = failed + " probes of " + address + ":" + writer.port() + " failed and the slave lost it: " + lost.get();
            LOG.error("[{}] master (node {}) is dead: {}", in.instanceId(), in.writer(), evidence);
            return new Verdict(true, evidence);
          }
          LOG.warn("[{}] {} probes of the master failed but the slave still receives from it: no failover", in.instanceId(), failed);
        }
        Activity.getExecutionContext().heartbeat(failed);
        Thread.sleep(in.probeMillis());
      }
      return new Verdict(false, "renew");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Verdict(false, "interrupted");
    }
  }

  private Optional<String> changed(WatchInput in) {
    if (roles.writer(in.instanceId()) != in.writer()) {
      return Optional.of("another node serves as master");
    }
    Optional<String> op = operations.running(in.instanceId());
    if (op.isPresent()) {
      return Optional.of("operation " + op.get() + " started");
    }
    return operations.autoFailover(in.instanceId()) ? Optional.empty() : Optional.of("automatic failover switched off");
  }

  /** Why the slave's IO thread is not connected to the master, or empty while it is. */
  private static Optional<String> replicaLostMaster(NodeContext reader) {
    try (Connection c = reader.root()) {
      Optional<Replication.Status> s = Replication.status(c);
      if (s.isEmpty()) {
        return Optional.of("the slave does not replicate");
      }
      return s.get().ioRunning() ? Optional.empty()
          : Optional.of(s.get().lastError() == null ? "IO thread not running" : s.get().lastError());
    } catch (Exception e) {
      return Optional.empty(); // the slave cannot tell: no failover on the probe alone
    }
  }
}

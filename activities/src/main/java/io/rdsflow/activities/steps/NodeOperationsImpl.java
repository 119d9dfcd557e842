package io.rdsflow.activities.steps;

import static io.rdsflow.activities.steps.HostSql.exec;

import io.rdsflow.activities.local.GtidPosition;
import io.rdsflow.activities.local.NodeServer;
import io.rdsflow.activities.local.Replication;
import io.rdsflow.activities.ops.OperationSteps;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.ServerBinaries;
import io.rdsflow.workflows.activities.NodeOperations;
import io.rdsflow.workflows.operate.OperationPlans;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Operation steps on the nodes of this host: writes stopped and opened, catch-up, fencing, restarts. */
public final class NodeOperationsImpl implements NodeOperations {
  /** How long a switchover waits for the replica to apply the old writer's last transaction. */
  static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RESTART_TIMEOUT = Duration.ofMinutes(5);

  private final OperationSteps steps;
  private final NodeAccess access;
  private final ProxyControl proxies;

  public NodeOperationsImpl(OperationSteps steps, NodeAccess access, io.rdsflow.activities.meta.ProxyDao proxyDao,
      io.rdsflow.activities.meta.NodeRoles roles) {
    this.steps = steps;
    this.access = access;
    this.proxies = new ProxyControl(access, proxyDao, roles);
  }

  @Override
  public OperationStepResult pointProxy(OperationStepInput in) {
    return steps.run(in, () -> {
      var proxy = proxies.proxy(in.instanceId());
      if (proxy.isEmpty()) {
        return OperationStepResult.of("the instance has no proxy (created before proxies were)");
      }
      String set = proxies.apply(proxy.get(), in.instanceId(), true);
      return OperationStepResult.of(set + "; " + proxies.awaitLanding(proxy.get(), true, proxies.writerNode(in.instanceId())));
    });
  }

  @Override
  public OperationStepResult checkReplica(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      try (Connection c = n.root()) {
        Replication.Status s = Replication.status(c)
            .orElseThrow(() -> new StepFailure("node " + in.node() + " does not replicate: nothing to switch over to"));
        if (!s.healthy()) {
          throw new StepFailure("replication of node " + in.node() + " is not running (" + s.lastError()
              + "): rebuild it before a switchover");
        }
        return OperationStepResult.of("IO and SQL threads running, lag " + s.lagSeconds() + " s");
      }
    });
  }

  @Override
  public OperationStepResult stopWrites(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      MysqldServer server = readOnlyInConfig(n, true);
      try (Connection c = n.root()) {
        exec(c, "SET GLOBAL read_only = 1");
        int ended = endClientSessions(c);
        String position = position(c, server);
        return new OperationStepResult("read_only=ON live and in my.cnf, " + ended + " client sessions ended, stopped at "
            + position, Map.of(OperationPlans.FACT_STOPPED_AT, position));
      }
    });
  }

  @Override
  public OperationStepResult waitReplicaApplied(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      String target = in.facts().get(OperationPlans.FACT_STOPPED_AT);
      MysqldServer server = n.server();
      long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
      try (Connection c = n.root()) {
        while (!applied(c, server, target)) {
          if (System.nanoTime() > deadline) {
            throw new StepFailure("node " + in.node() + " did not apply " + target + " within " + CATCH_UP_TIMEOUT.toSeconds()
                + " s (it is at " + position(c, server) + ")");
          }
          StepRunner.heartbeat("waiting for " + target);
          Thread.sleep(10);
        }
        return OperationStepResult.of("applied everything up to " + target);
      }
    });
  }

  @Override
  public OperationStepResult openWrites(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      readOnlyInConfig(n, false);
      try (Connection c = n.root()) {
        exec(c, "SET GLOBAL read_only = 0");
      }
      return new OperationStepResult("read_only=OFF live and in my.cnf: node " + in.node() + " takes writes",
          Map.of(OperationPlans.FACT_OPENED, in.node().wire()));
    });
  }

  @Override
  public OperationStepResult confirmMasterDown(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      var writer = n.peer();
      String address = access.address(writer);
      // the health watch has just seen the probes fail: one more look; from the API, three 300 ms apart
      int probes = "auto".equals(in.facts().get(OperationPlans.FACT_TRIGGER)) ? 1 : 3;
      for (int probe = 0; probe < probes; probe++) {
        if (probe > 0) {
          Thread.sleep(300);
        }
        if (MysqldServer.greets(address, writer.port())) {
          throw new StepFailure("the master (node " + writer.role() + " at " + address + ":" + writer.port()
              + ") answers: use a switchover, not a failover");
        }
      }
      try (Connection c = n.root()) {
        Replication.Status s = Replication.status(c).orElse(null);
        if (s != null && s.ioRunning()) {
          throw new StepFailure("node " + in.node() + " still receives from the master: not failing over");
        }
        return OperationStepResult.of("master at " + address + ":" + writer.port() + " does not answer and the replica lost it ("
            + (s == null ? "no replication" : s.lastError()) + ")");
      }
    });
  }

  @Override
  public OperationStepResult detachReplica(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      try (Connection c = n.root()) {
        exec(c, "STOP SLAVE");
        exec(c, "RESET SLAVE ALL");
      }
      return OperationStepResult.of("node " + in.node() + " no longer replicates from the lost master");
    });
  }

  @Override
  public OperationStepResult fenceNode(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      MysqldServer server = readOnlyInConfig(n, true);
      if (server.runningPid().isEmpty() || !server.greets()) {
        return OperationStepResult.of("not running; read_only=ON in my.cnf: it starts read-only");
      }
      try (Connection c = n.root()) {
        exec(c, "SET GLOBAL read_only = 1");
        exec(c, "STOP SLAVE");
        endClientSessions(c);
      }
      return OperationStepResult.of("running: read_only=ON live and in my.cnf, replication stopped, sessions ended");
    });
  }

  @Override
  public OperationStepResult restartNode(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      MysqldServer server = n.server();
      server.writeConfig();
      server.stop(Duration.ofMinutes(2));
      long pid = server.start(RESTART_TIMEOUT);
      access.nodes.setPid(in.instanceId(), in.node(), pid);
      boolean replica;
      try (Connection c = n.root()) {
        replica = Replication.status(c).isPresent();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Replication.Status s;
        while (replica && !(s = Replication.status(c).orElseThrow()).healthy()) {
          if (System.nanoTime() > deadline) {
            throw new StepFailure("replication of node " + in.node() + " did not resume after the restart: " + s.lastError());
          }
          StepRunner.heartbeat("waiting for replication");
          Thread.sleep(100);
        }
        return OperationStepResult.of("restarted as pid " + pid + (replica ? ", replication running" : "")
            + (isReadOnly(c) ? ", read-only" : ", writable"));
      }
    });
  }

  /** Writes (or removes) the guard marker and rewrites my.cnf; returns the node's server. */
  private static MysqldServer readOnlyInConfig(NodeContext n, boolean readOnly) throws Exception {
    MysqldServer server = n.server();
    if (readOnly) {
      Files.writeString(server.home().resolve(NodeServer.GUARD_MARKER), "read_only\n");
    } else {
      Files.deleteIfExists(server.home().resolve(NodeServer.GUARD_MARKER));
    }
    server = n.server(); // built anew: its settings read the marker
    server.writeConfig();
    return server;
  }

  /** Ends every client session but this one, the server's own threads and the replicas' binlog dumps. */
  private static int endClientSessions(Connection c) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST "
        + "WHERE ID <> CONNECTION_ID() AND USER NOT IN ('system user', 'event_scheduler') "
        + "AND COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Slave_IO', 'Slave_SQL', 'Slave_worker')")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    int ended = 0;
    for (long id : ids) {
      try (Statement s = c.createStatement()) {
        s.execute("KILL CONNECTION " + id);
        ended++;
      } catch (SQLException gone) {
        // the session ended by itself meanwhile
      }
    }
    return ended;
  }

  private static String position(Connection c, MysqldServer server) throws SQLException {
    String sql = server.binaries().flavor() == ServerBinaries.Flavor.MARIADB ? "SELECT @@gtid_binlog_pos" : "SELECT @@global.gtid_executed";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean applied(Connection c, MysqldServer server, String target) throws SQLException {
    if (server.binaries().flavor() == ServerBinaries.Flavor.MARIADB) {
      return GtidPosition.parse(position(c, server)).covers(GtidPosition.parse(target));
    }
    try (var ps = c.prepareStatement("SELECT GTID_SUBSET(?, @@global.gtid_executed)")) {
      ps.setString(1, target);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }

  private static boolean isReadOnly(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@read_only")) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }
}

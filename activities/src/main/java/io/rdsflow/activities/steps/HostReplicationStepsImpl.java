package io.rdsflow.activities.steps;

import static io.rdsflow.activities.steps.HostSql.exec;

import io.rdsflow.activities.local.NodeServer;
import io.rdsflow.activities.local.Replication;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.ServerBinaries;
import io.rdsflow.workflows.activities.HostReplicationSteps;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;

/** Replication between the two nodes of a master-slave pair, seen from the node of {@code StepInput.role} (seed 003). */
public final class HostReplicationStepsImpl implements HostReplicationSteps {
  private static final Duration REPLICATION_TIMEOUT = Duration.ofMinutes(5);

  private final StepRunner runner;
  private final NodeAccess access;

  public HostReplicationStepsImpl(StepRunner runner, NodeAccess access) {
    this.runner = runner;
    this.access = access;
  }

  @Override
  public StepResult doInstallDuallmasterMaster(StepInput in) { // do_install_duallmaster_master
    return installDualMaster(in);
  }

  @Override
  public StepResult doInstallDuallmasterSlave(StepInput in) { // do_install_duallmaster_slave
    return installDualMaster(in);
  }

  private StepResult installDualMaster(StepInput in) {
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      NodeDao.Node peer = n.peer();
      String peerAddress = access.address(peer);
      MysqldServer server = n.server();
      try (Connection c = n.root()) {
        Replication.follow(c, server.binaries().flavor(), peerAddress, peer.port(), ControlStepsImpl.REPL,
            n.accountPassword(ControlStepsImpl.REPL));
      }
      Replication.protectMasterInfo(server.dataDir());
      return StepResult.of(in.role() + " replicates from " + peer.role() + " at " + peerAddress + ":" + peer.port());
    });
  }

  @Override
  public StepResult doCheckSlaveMaster(StepInput in) { // do_check_slave_master
    return checkSlave(in);
  }

  @Override
  public StepResult doCheckSlaveSlave(StepInput in) { // do_check_slave_slave
    return checkSlave(in);
  }

  private StepResult checkSlave(StepInput in) {
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      try (Connection c = n.root()) {
        Replication.Status status = awaitHealthy(in, c, System.nanoTime() + REPLICATION_TIMEOUT.toNanos());
        if (in.role() == Role.SLAVE && n.server().binaries().flavor() == ServerBinaries.Flavor.MARIADB) {
          return StepResult.of("IO and SQL threads running; caught up with master at "
              + awaitMasterPosition(n, c, System.nanoTime() + REPLICATION_TIMEOUT.toNanos()));
        }
        return StepResult.of("IO and SQL threads running, lag " + status.lagSeconds() + " s");
      }
    });
  }

  @Override
  public StepResult confirmSlaveCaughtUp(StepInput in) { // rdsflow_confirm_slave_caught_up
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
      try (Connection c = n.root()) {
        awaitHealthy(in, c, deadline);
        if (n.server().binaries().flavor() != ServerBinaries.Flavor.MARIADB) {
          return StepResult.of("IO and SQL threads running (GTID wait is MariaDB only)");
        }
        return StepResult.of("applied everything the master wrote, up to " + awaitMasterPosition(n, c, deadline));
      }
    });
  }

  private static Replication.Status awaitHealthy(StepInput in, Connection c, long deadline) throws Exception {
    Replication.Status status = null;
    while (System.nanoTime() < deadline) {
      status = Replication.status(c).orElseThrow(() -> new StepFailure(in.role() + " has no replication configured"));
      if (status.healthy()) {
        return status;
      }
      StepRunner.heartbeat(status);
      Thread.sleep(100);
    }
    throw new StepFailure(in.role() + " replication is not running: " + (status == null ? "no status" : status.lastError()));
  }

  /** Waits until this node applied the peer's current binlog GTID position; returns the position. */
  private String awaitMasterPosition(NodeContext n, Connection c, long deadline) throws Exception {
    NodeDao.Node master = n.peer();
    String position;
    try (Connection m = java.sql.DriverManager.getConnection("jdbc:mariadb://" + access.address(master) + ":"
        + master.port() + "/?sslMode=disable&connectTimeout=5000", ControlStepsImpl.ADMIN,
        n.accountPassword(ControlStepsImpl.ADMIN))) {
      position = Replication.binlogPosition(m);
    }
    while (!Replication.waitFor(c, position, 1)) {
      if (System.nanoTime() > deadline) {
        throw new StepFailure(n.role + " did not catch up with master position " + position);
      }
      StepRunner.heartbeat("catching up to " + position);
    }
    return position;
  }

  @Override
  public StepResult doSetServerReadonlyForGuardIns(StepInput in) { // do_set_server_readonly_for_guard_ins
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      MysqldServer server = n.server();
      Files.writeString(server.home().resolve(NodeServer.GUARD_MARKER), "read_only\n");
      try (Connection c = n.root()) {
        exec(c, "SET GLOBAL read_only = 1");
      }
      n.server().writeConfig(); // built again: it reads the guard marker just written
      return StepResult.of("read_only=ON live and in my.cnf");
    });
  }
}

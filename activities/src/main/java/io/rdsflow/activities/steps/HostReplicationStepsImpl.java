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
      NodeDao.Node peer = access.peer(in.instanceId(), in.role());
      String peerAddress = access.address(peer);
      MysqldServer server = access.server(in.instanceId(), in.role());
      try (Connection c = access.root(in.instanceId(), in.role())) {
        Replication.follow(c, server.binaries().flavor(), peerAddress, peer.port(), ControlStepsImpl.REPL,
            access.accountPassword(in.instanceId(), ControlStepsImpl.REPL));
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
      try (Connection c = access.root(in.instanceId(), in.role())) {
        Replication.Status status = awaitHealthy(in, c, System.nanoTime() + REPLICATION_TIMEOUT.toNanos());
        if (in.role() == Role.SLAVE && access.server(in.instanceId(), in.role()).binaries().flavor() == ServerBinaries.Flavor.MARIADB) {
          return StepResult.of("IO and SQL threads running; caught up with master at "
              + awaitMasterPosition(in, c, System.nanoTime() + REPLICATION_TIMEOUT.toNanos()));
        }
        return StepResult.of("IO and SQL threads running, lag " + status.lagSeconds() + " s");
      }
    });
  }

  @Override
  public StepResult confirmSlaveCaughtUp(StepInput in) { // rdsflow_confirm_slave_caught_up
    return runner.run(in, () -> {
      long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
      try (Connection c = access.root(in.instanceId(), in.role())) {
        awaitHealthy(in, c, deadline);
        if (access.server(in.instanceId(), in.role()).binaries().flavor() != ServerBinaries.Flavor.MARIADB) {
          return StepResult.of("IO and SQL threads running (GTID wait is MariaDB only)");
        }
        return StepResult.of("applied everything the master wrote, up to " + awaitMasterPosition(in, c, deadline));
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
  private String awaitMasterPosition(StepInput in, Connection c, long deadline) throws Exception {
    NodeDao.Node master = access.peer(in.instanceId(), in.role());
    String position;
    try (Connection m = java.sql.DriverManager.getConnection("jdbc:mariadb://" + access.address(master) + ":"
        + master.port() + "/?sslMode=disable&connectTimeout=5000", ControlStepsImpl.ADMIN,
        access.accountPassword(in.instanceId(), ControlStepsImpl.ADMIN))) {
      position = Replication.binlogPosition(m);
    }
    while (!Replication.waitFor(c, position, 1)) {
      if (System.nanoTime() > deadline) {
        throw new StepFailure(in.role() + " did not catch up with master position " + position);
      }
      StepRunner.heartbeat("catching up to " + position);
    }
    return position;
  }

  @Override
  public StepResult doSetServerReadonlyForGuardIns(StepInput in) { // do_set_server_readonly_for_guard_ins
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      Files.writeString(server.home().resolve(NodeServer.GUARD_MARKER), "read_only\n");
      try (Connection c = access.root(in.instanceId(), in.role())) {
        exec(c, "SET GLOBAL read_only = 1");
      }
      access.server(in.instanceId(), in.role()).writeConfig();
      return StepResult.of("read_only=ON live and in my.cnf");
    });
  }
}

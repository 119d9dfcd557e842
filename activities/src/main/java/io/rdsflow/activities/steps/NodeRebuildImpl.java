package io.rdsflow.activities.steps;

import static io.rdsflow.activities.steps.HostSql.exec;

import io.rdsflow.activities.local.NodeServer;
import io.rdsflow.activities.local.PhysicalCopy;
import io.rdsflow.activities.local.RebuildDirs;
import io.rdsflow.activities.local.Replication;
import io.rdsflow.activities.ops.OperationSteps;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.Sql;
import io.rdsflow.workflows.activities.NodeRebuild;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.operate.OperationPlans;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;

/**
 * The host steps of a rebuild: a physical copy of the writer through the instance's staging directory
 * {@code <baseDir>/<instanceId>/.rebuild} (shared by the hosts), restored on the rebuilt node, which then
 * replicates from the copy's GTID; the writer replicates from it again. See {@link PhysicalCopy}.
 */
public final class NodeRebuildImpl implements NodeRebuild {
  private static final Duration COPY_TIMEOUT = Duration.ofMinutes(50);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration REPLICATION_TIMEOUT = Duration.ofMinutes(2);

  private final OperationSteps steps;
  private final NodeAccess access;

  public NodeRebuildImpl(OperationSteps steps, NodeAccess access) {
    this.steps = steps;
    this.access = access;
  }

  @Override
  public OperationStepResult copyWriter(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      MysqldServer server = n.server();
      if (!server.greets()) {
        throw new StepFailure("node " + in.node() + " (the master) does not answer: there is nothing to copy");
      }
      Path file = RebuildDirs.prepareStaging(access.host.baseDir(), in.instanceId(), in.operationId())
          .resolve(in.operationId() + ".xb.zst");
      PhysicalCopy.Copy copy = tools(() -> PhysicalCopy.backup(server, "root", n.rootPassword(), file,
          server.home().resolve("log/rebuild-copy.log"), COPY_TIMEOUT, () -> StepRunner.heartbeat("streaming a copy")));
      return new OperationStepResult("physical copy of node " + in.node() + " (mariadb-backup | zstd, " + kib(copy.bytes())
          + " KiB) in " + copy.took().toMillis() + " ms, consistent at GTID " + copy.gtid() + ": " + file,
          Map.of(OperationPlans.FACT_COPY, file.toString(), OperationPlans.FACT_COPY_GTID, copy.gtid()));
    });
  }

  @Override
  public OperationStepResult restoreFromCopy(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      NodeDao.Node writer = n.peer();
      Path file = copyFile(in);
      long start = System.nanoTime();
      Files.writeString(n.server().home().resolve(NodeServer.GUARD_MARKER), "read_only\n");
      MysqldServer server = n.server(); // built after the marker: read_only=ON in its my.cnf
      server.writeConfig();
      server.stop(Duration.ofMinutes(2));
      if (server.runningPid().isPresent()) {
        throw new IllegalStateException("the server of node " + in.node() + " did not stop");
      }
      Path home = server.home();
      Path incoming = RebuildDirs.moveAside(home);
      String gtid = tools(() -> PhysicalCopy.restore(server.binaries(), file, incoming, home.resolve("log/rebuild-restore.log"),
          COPY_TIMEOUT, () -> StepRunner.heartbeat("extracting and preparing the copy")));
      String reported = in.facts().get(OperationPlans.FACT_COPY_GTID);
      if (!gtid.matches("[0-9,\\- ]*")) {
        throw new StepFailure("the copy names an unreadable GTID position: " + gtid);
      }
      RebuildDirs.install(home, server.dataDir());
      server.writeConfig(); // empty binlog and relay directories: the node's history starts at the copy
      long restored = System.nanoTime();
      long pid = server.start(START_TIMEOUT);
      access.nodes.setPid(in.instanceId(), in.node(), pid);
      String address = access.address(writer);
      String caughtUp;
      try (Connection c = n.root()) {
        exec(c, "STOP SLAVE");
        exec(c, "RESET SLAVE ALL");
        // the node's binlog history starts at the copy: a switchover's catch-up reads it, and the writer
        // replicating from this node asks for the copy's position (FOLLOW_REBUILT_NODE)
        exec(c, "RESET MASTER");
        exec(c, "SET GLOBAL gtid_binlog_state = " + Sql.literal(gtid));
        exec(c, "SET GLOBAL gtid_slave_pos = " + Sql.literal(gtid));
        Replication.follow(c, server.binaries().flavor(), address, writer.port(), ControlStepsImpl.REPL,
            n.accountPassword(ControlStepsImpl.REPL));
        Replication.protectMasterInfo(server.dataDir());
        caughtUp = catchUp(n, c, writer, address);
      }
      RebuildDirs.cleanUp(home, file);
      return new OperationStepResult("restored from " + file.getFileName() + " in " + millis(start, restored) + " ms, started as pid "
          + pid + " read-only, binlog state and gtid_slave_pos " + gtid + (reported != null && !reported.equals(gtid)
          ? " (the copy's log said " + reported + ")" : "") + ", replicating from " + writer.role() + " at " + address + ":"
          + writer.port() + ", applied its position " + caughtUp + "; old data and the copy removed",
          Map.of(OperationPlans.FACT_COPY_GTID, gtid));
    });
  }

  @Override
  public OperationStepResult followRebuiltNode(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      NodeDao.Node rebuilt = n.peer();
      MysqldServer server = n.server();
      String address = access.address(rebuilt);
      String gtid = in.facts().get(OperationPlans.FACT_COPY_GTID);
      if (gtid == null || !gtid.matches("[0-9,\\- ]*")) {
        throw new StepFailure("no GTID position of the copy was reported by " + OperationPlans.RESTORE_FROM_COPY);
      }
      try (Connection c = n.root()) {
        // the rebuilt node's binlog begins at the copy's position: everything before it is the writer's own
        exec(c, "STOP SLAVE");
        exec(c, "SET GLOBAL gtid_slave_pos = " + Sql.literal(gtid));
        Replication.follow(c, server.binaries().flavor(), address, rebuilt.port(), ControlStepsImpl.REPL,
            n.accountPassword(ControlStepsImpl.REPL));
        Replication.protectMasterInfo(server.dataDir());
        awaitHealthy(in.node(), c, System.nanoTime() + REPLICATION_TIMEOUT.toNanos());
      }
      return OperationStepResult.of("node " + in.node() + " replicates from the rebuilt node " + rebuilt.role() + " at " + address
          + ":" + rebuilt.port() + " again (dual-master) from " + gtid + ", IO and SQL threads running");
    });
  }

  @Override
  public String hostAnswers(String instanceId, Role node) {
    return "host " + access.host.name() + " answers (node " + node + " of " + instanceId + ")";
  }

  /** The copy named by the first step, or the same file name in this host's staging directory (a shared mount elsewhere). */
  private Path copyFile(OperationStepInput in) {
    String named = in.facts().get(OperationPlans.FACT_COPY);
    if (named == null) {
      throw new StepFailure("no copy was reported by " + OperationPlans.COPY_WRITER);
    }
    Path file = Path.of(named);
    if (Files.exists(file)) {
      return file;
    }
    Path here = staging(in.instanceId()).resolve(file.getFileName());
    if (Files.exists(here)) {
      return here;
    }
    throw new StepFailure("the copy " + file + " is not on host " + access.host.name() + ": the directory "
        + staging(in.instanceId()) + " must be shared by the instance's hosts");
  }

  /** Waits until the node replicates (both threads), then until it applied the writer's current GTID position. */
  private static String catchUp(NodeContext n, Connection c, NodeDao.Node writer, String address) throws Exception {
    long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
    awaitHealthy(n.role, c, deadline);
    String position;
    try (Connection w = DriverManager.getConnection("jdbc:mariadb://" + address + ":" + writer.port()
        + "/?sslMode=disable&connectTimeout=5000", ControlStepsImpl.ADMIN, n.accountPassword(ControlStepsImpl.ADMIN))) {
      position = Replication.binlogPosition(w);
    }
    while (!Replication.waitFor(c, position, 1)) {
      if (System.nanoTime() > deadline) {
        throw new StepFailure("node " + n.role + " did not apply the master's position " + position + " within "
            + REPLICATION_TIMEOUT.toSeconds() + " s");
      }
      StepRunner.heartbeat("catching up to " + position);
    }
    return position;
  }

  /** Both replication threads run; an SQL thread stopped with an error fails at once (retrying cannot fix it). */
  private static void awaitHealthy(Role node, Connection c, long deadline) throws Exception {
    while (true) {
      Replication.Status s = Replication.status(c).orElseThrow(() -> new StepFailure("node " + node + " has no replication"));
      if (s.healthy()) {
        return;
      }
      if (!s.sqlRunning() && s.lastError() != null) {
        throw new StepFailure("replication of node " + node + " stopped: " + s.lastError());
      }
      if (System.nanoTime() > deadline) {
        throw new StepFailure("replication of node " + node + " is not running after " + REPLICATION_TIMEOUT.toSeconds()
            + " s: " + s.lastError());
      }
      StepRunner.heartbeat("waiting for replication");
      Thread.sleep(100);
    }
  }

  private Path staging(String instanceId) {
    return RebuildDirs.staging(access.host.baseDir(), instanceId);
  }

  /** A missing tool or an unusable password is not fixed by retrying: it fails the step at once. */
  private static <T> T tools(Tool<T> body) throws Exception {
    try {
      return body.run();
    } catch (IllegalArgumentException e) {
      throw new StepFailure(e.getMessage());
    }
  }

  @FunctionalInterface
  private interface Tool<T> {
    T run() throws Exception;
  }

  private static long kib(long bytes) {
    return (bytes + 1023) / 1024;
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }
}

package io.rdsflow.activities.steps;

import static io.rdsflow.activities.steps.HostSql.account;
import static io.rdsflow.activities.steps.HostSql.accountHosts;
import static io.rdsflow.activities.steps.HostSql.exec;

import io.rdsflow.activities.local.DataDirTemplate;
import io.rdsflow.activities.local.NodeSql;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.RootAccount;
import io.rdsflow.mysqld.Sql;
import io.rdsflow.workflows.activities.HostStartSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/** Initialising and starting the server of the node of {@code StepInput.role} on this host (seed 003). */
public final class HostStartStepsImpl implements HostStartSteps {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private final StepRunner runner;
  private final NodeAccess access;

  public HostStartStepsImpl(StepRunner runner, NodeAccess access) {
    this.runner = runner;
    this.access = access;
  }

  @Override
  public StepResult doInitMysqlDbMaster(StepInput in) { // do_init_mysql_db_master
    return initMysqlDb(in);
  }

  @Override
  public StepResult doInitMysqlDbSlave(StepInput in) { // do_init_mysql_db_slave
    return initMysqlDb(in);
  }

  private StepResult initMysqlDb(StepInput in) {
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      MysqldServer server = n.server();
      if (DataDirTemplate.isCopied(server)) {
        return StepResult.of("data directory already initialised");
      }
      server.stop(Duration.ofMinutes(1)); // one started from a copy cut short by a crash
      String how = DataDirTemplate.initialize(access.host, server, n.params,
          () -> StepRunner.heartbeat("initialising"));
      return StepResult.of("initialised " + server.dataDir() + ": " + how);
    });
  }

  @Override
  public StepResult doCheckMysqlInitDbSuccessMaster(StepInput in) { // do_check_mysql_init_db_success_master
    return checkMysqlInitDbSuccess(in);
  }

  @Override
  public StepResult doCheckMysqlInitDbSuccessSlave(StepInput in) { // do_check_mysql_init_db_success_slave
    return checkMysqlInitDbSuccess(in);
  }

  private StepResult checkMysqlInitDbSuccess(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.load(in).server();
      if (!DataDirTemplate.isCopied(server)) {
        throw new StepFailure("system tables missing in " + server.dataDir() + ": "
            + MysqldServer.tail(server.home().resolve("log/install.log")));
      }
      try (Stream<Path> files = Files.list(server.dataDir().resolve("mysql"))) {
        long n = files.count();
        return StepResult.of(n + " files in the mysql schema");
      }
    });
  }

  @Override
  public StepResult doStartInstanceNoblockByMaster(StepInput in) { // do_start_instance_noblock_by_master
    return startInstanceNoblock(in);
  }

  @Override
  public StepResult doStartInstanceNoblockBySlave(StepInput in) { // do_start_instance_noblock_by_slave
    return startInstanceNoblock(in);
  }

  private StepResult startInstanceNoblock(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.load(in).server();
      boolean already = server.runningPid().isPresent();
      long pid = server.spawn();
      access.nodes.setPid(in.instanceId(), in.role(), pid);
      return StepResult.of((already ? "already running as pid " : "started pid ") + pid);
    });
  }

  @Override
  // the seed's heading spells it do_check_start_instnace_success_master; the activity keeps the spelling
  // of its _slave twin (histories of every release use it)
  public StepResult doCheckStartInstanceSuccessMaster(StepInput in) { // do_check_start_instance_success_master
    return checkStartInstanceSuccess(in);
  }

  @Override
  public StepResult doCheckStartInstanceSuccessSlave(StepInput in) { // do_check_start_instance_success_slave
    return checkStartInstanceSuccess(in);
  }

  private StepResult checkStartInstanceSuccess(StepInput in) {
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      MysqldServer server = n.server();
      long started = System.nanoTime();
      while (!server.greets()) {
        long waited = System.nanoTime() - started;
        if (server.runningPid().isEmpty() && waited > Duration.ofSeconds(10).toNanos()) {
          throw new StepFailure("server of " + in.role() + " is not running: " + MysqldServer.tail(server.errorLog()));
        }
        if (waited > START_TIMEOUT.toNanos()) {
          throw new StepFailure("server of " + in.role() + " did not answer within " + START_TIMEOUT + ": "
              + MysqldServer.tail(server.errorLog()));
        }
        StepRunner.heartbeat("waiting for port " + server.port());
        Thread.sleep(50);
      }
      Optional<Long> pid = server.runningPid();
      try (Connection c = NodeSql.root(server, n.rootPassword())) {
        RootAccount.secure(c, n.rootPassword());
        if (n.account(ControlStepsImpl.REPL).isPresent()) {
          // The peer's replication thread logs in here before the master's accounts have replicated:
          // the replication account exists on every node from the start (not written to the binlog).
          exec(c, "SET sql_log_bin=0");
          for (String host : accountHosts(access.requests.whitelist(in.instanceId(), "admin"))) {
            account(c, ControlStepsImpl.REPL, host, n.accountPassword(ControlStepsImpl.REPL));
            exec(c, "GRANT REPLICATION SLAVE ON *.* TO " + Sql.account(ControlStepsImpl.REPL, host));
          }
          exec(c, "SET sql_log_bin=1");
        }
      }
      pid.ifPresent(p -> access.nodes.setPid(in.instanceId(), in.role(), p));
      return StepResult.of("answering on " + server.connectHost() + ":" + server.port() + " as pid "
          + pid.map(String::valueOf).orElse("?") + "; root has a password, password-less roots dropped");
    });
  }
}

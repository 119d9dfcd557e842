package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.Backups;
import io.rdsflow.activities.local.DataDirTemplate;
import io.rdsflow.activities.local.FileTrees;
import io.rdsflow.activities.local.InitScript;
import io.rdsflow.activities.local.InstanceConfFile;
import io.rdsflow.activities.local.NodeServer;
import io.rdsflow.activities.local.Privileges;
import io.rdsflow.activities.local.Replication;
import io.rdsflow.activities.local.ResourceLimits;
import io.rdsflow.activities.local.SecretSql;
import io.rdsflow.activities.local.TimeZones;
import io.rdsflow.activities.local.Whitelist;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.activities.mysqld.MysqldServer;
import io.rdsflow.activities.mysqld.PasswordHash;
import io.rdsflow.activities.mysqld.RootAccount;
import io.rdsflow.activities.mysqld.ServerBinaries;
import io.rdsflow.activities.mysqld.Sql;
import io.rdsflow.activities.local.NodeSql;
import io.rdsflow.workflows.activities.HostSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The host steps of seed 003 for the node of {@code StepInput.role} on this host. */
public final class HostStepsImpl implements HostSteps {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration REPLICATION_TIMEOUT = Duration.ofMinutes(5);

  private final StepRunner runner;
  private final NodeAccess access;

  public HostStepsImpl(StepRunner runner, NodeAccess access) {
    this.runner = runner;
    this.access = access;
  }

  private boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  // --- directories and configuration -----------------------------------------------------------

  @Override
  public StepResult doCheckPortAndDirExistsAndMakesureNotExist(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      Path home = server.home();
      boolean ours = ownedBy(home, in.instanceId());
      if (Files.exists(home) && !ours) {
        throw new StepFailure("directory " + home + " on host " + access.host.name() + " exists and is not this instance's");
      }
      if (MysqldServer.listening(server.connectHost(), server.port()) && !(ours && server.runningPid().isPresent())) {
        throw new StepFailure("port " + server.port() + " on host " + access.host.name() + " is in use by another process");
      }
      return StepResult.of("port " + server.port() + " free, " + (ours ? "own directory from an earlier attempt" : "directory absent"));
    });
  }

  @Override
  public StepResult doRmInstanceDirExists(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      if (!Files.exists(server.home())) {
        return StepResult.of("nothing to remove");
      }
      if (!ownedBy(server.home(), in.instanceId())) {
        throw new StepFailure("refusing to remove " + server.home() + ": it is not this instance's");
      }
      server.stop(Duration.ofMinutes(1));
      FileTrees.delete(server.home());
      return StepResult.of("removed leftover " + server.home());
    });
  }

  @Override
  public StepResult doMakeDir(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      for (String d : MysqldServer.SUBDIRS) {
        Files.createDirectories(server.home().resolve(d));
      }
      Files.writeString(server.home().resolve(NodeServer.OWNER_MARKER), in.instanceId());
      access.nodes.setBaseDir(in.instanceId(), in.role(), server.home().toString());
      return StepResult.of("created " + server.home());
    });
  }

  @Override
  public StepResult doBuildMysqlParams(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      server.writeConfig();
      return StepResult.of("wrote " + server.configFile());
    });
  }

  // --- initialise and start ----------------------------------------------------------------------

  @Override
  public StepResult doInitMysqlDbMaster(StepInput in) {
    return initDb(in);
  }

  @Override
  public StepResult doInitMysqlDbSlave(StepInput in) {
    return initDb(in);
  }

  private StepResult initDb(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      if (DataDirTemplate.isCopied(server)) {
        return StepResult.of("data directory already initialised");
      }
      server.stop(Duration.ofMinutes(1)); // one started from a copy cut short by a crash
      String how = DataDirTemplate.initialize(access.host, server, access.requests.params(in.instanceId()),
          () -> StepRunner.heartbeat("initialising"));
      return StepResult.of("initialised " + server.dataDir() + ": " + how);
    });
  }

  @Override
  public StepResult doCheckMysqlInitDbSuccessMaster(StepInput in) {
    return checkInit(in);
  }

  @Override
  public StepResult doCheckMysqlInitDbSuccessSlave(StepInput in) {
    return checkInit(in);
  }

  private StepResult checkInit(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
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
  public StepResult doStartInstanceNoblockByMaster(StepInput in) {
    return startNoBlock(in);
  }

  @Override
  public StepResult doStartInstanceNoblockBySlave(StepInput in) {
    return startNoBlock(in);
  }

  private StepResult startNoBlock(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      boolean already = server.runningPid().isPresent();
      long pid = server.spawn();
      access.nodes.setPid(in.instanceId(), in.role(), pid);
      return StepResult.of((already ? "already running as pid " : "started pid ") + pid);
    });
  }

  @Override
  public StepResult doCheckStartInstanceSuccessMaster(StepInput in) {
    return checkStart(in);
  }

  @Override
  public StepResult doCheckStartInstanceSuccessSlave(StepInput in) {
    return checkStart(in);
  }

  private StepResult checkStart(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
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
      try (Connection c = NodeSql.root(server, access.rootPassword(in.instanceId()))) {
        RootAccount.secure(c, access.rootPassword(in.instanceId()));
        if (access.requests.account(in.instanceId(), ControlStepsImpl.REPL).isPresent()) {
          // The peer's replication thread logs in here before the master's accounts have replicated:
          // the replication account exists on every node from the start (not written to the binlog).
          exec(c, "SET sql_log_bin=0");
          for (String host : accountHosts(access.requests.whitelist(in.instanceId(), "admin"))) {
            account(c, ControlStepsImpl.REPL, host, access.accountPassword(in.instanceId(), ControlStepsImpl.REPL));
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

  // --- accounts and replication ------------------------------------------------------------------

  @Override
  public StepResult doInitializeMysqlAccountByMaster(StepInput in) {
    return runner.run(in, () -> {
      List<String> hosts = accountHosts(access.requests.whitelist(in.instanceId(), "admin"));
      MysqldServer server = access.server(in.instanceId(), in.role());
      boolean maria = server.binaries().flavor() == ServerBinaries.Flavor.MARIADB;
      String monitorGrants = "PROCESS, REPLICATION CLIENT, SELECT" + (maria && server.binaries().atLeast(10, 5) ? ", SLAVE MONITOR" : "");
      try (Connection c = access.root(in.instanceId(), in.role())) {
        for (String host : hosts) {
          account(c, ControlStepsImpl.ADMIN, host, access.accountPassword(in.instanceId(), ControlStepsImpl.ADMIN));
          exec(c, "GRANT ALL PRIVILEGES ON *.* TO " + Sql.account(ControlStepsImpl.ADMIN, host) + " WITH GRANT OPTION");
          account(c, ControlStepsImpl.MONITOR, host, access.accountPassword(in.instanceId(), ControlStepsImpl.MONITOR));
          exec(c, "GRANT " + monitorGrants + " ON *.* TO " + Sql.account(ControlStepsImpl.MONITOR, host));
          if (access.requests.account(in.instanceId(), ControlStepsImpl.CUSTOM).isPresent()) {
            // custom SQL metrics: SELECT on the request's databases ('_' escaped: a wildcard in grants), nothing else
            account(c, ControlStepsImpl.CUSTOM, host, access.accountPassword(in.instanceId(), ControlStepsImpl.CUSTOM));
            for (var db : access.requests.databases(in.instanceId())) {
              exec(c, "GRANT SELECT ON " + Sql.ident(db.name().replace("_", "\\_").replace("%", "\\%")) + ".* TO "
                  + Sql.account(ControlStepsImpl.CUSTOM, host));
            }
            if (maria) {
              exec(c, "ALTER USER " + Sql.account(ControlStepsImpl.CUSTOM, host) + " WITH MAX_STATEMENT_TIME "
                  + ControlStepsImpl.CUSTOM_MAX_STATEMENT_SECONDS);
            }
          }
        }
      }
      return StepResult.of(ControlStepsImpl.ADMIN + ", " + ControlStepsImpl.MONITOR + ", " + ControlStepsImpl.CUSTOM
          + " from " + String.join(", ", hosts));
    });
  }

  @Override
  public StepResult doGrantMasterByMaster(StepInput in) {
    return runner.run(in, () -> {
      if (access.requests.account(in.instanceId(), ControlStepsImpl.REPL).isEmpty()) {
        return StepResult.skipped("topology single: no replication account");
      }
      List<String> hosts = accountHosts(access.requests.whitelist(in.instanceId(), "admin"));
      try (Connection c = access.root(in.instanceId(), in.role())) {
        for (String host : hosts) {
          account(c, ControlStepsImpl.REPL, host, access.accountPassword(in.instanceId(), ControlStepsImpl.REPL));
          exec(c, "GRANT REPLICATION SLAVE ON *.* TO " + Sql.account(ControlStepsImpl.REPL, host));
        }
      }
      return StepResult.of(ControlStepsImpl.REPL + " may replicate from " + String.join(", ", hosts));
    });
  }

  @Override
  public StepResult doInstallDuallmasterMaster(StepInput in) {
    return follow(in);
  }

  @Override
  public StepResult doInstallDuallmasterSlave(StepInput in) {
    return follow(in);
  }

  private StepResult follow(StepInput in) {
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
  public StepResult doCheckSlaveMaster(StepInput in) {
    return checkReplication(in);
  }

  @Override
  public StepResult doCheckSlaveSlave(StepInput in) {
    return checkReplication(in);
  }

  private StepResult checkReplication(StepInput in) {
    return runner.run(in, () -> {
      try (Connection c = access.root(in.instanceId(), in.role())) {
        Replication.Status status = awaitHealthy(in, c, System.nanoTime() + REPLICATION_TIMEOUT.toNanos());
        if (in.role().equals("slave") && access.server(in.instanceId(), in.role()).binaries().flavor() == ServerBinaries.Flavor.MARIADB) {
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
  public StepResult doCreateAccounts(StepInput in) {
    return runner.run(in, () -> {
      List<String> hosts = accountHosts(access.requests.whitelist(in.instanceId(), "user"));
      List<RequestDao.Account> accounts = access.requests.accounts(in.instanceId(), "user");
      try (Connection c = access.root(in.instanceId(), in.role())) {
        for (RequestDao.Account a : accounts) {
          String password = access.cipher.decrypt(a.encryptedPassword());
          for (String host : hosts) {
            account(c, a.name(), host, password);
            for (CreateRequest.Privilege p : CreateRequest.privileges(a.privilegesJson())) {
              exec(c, "GRANT " + Privileges.grants(p.privilege()) + " ON " + Sql.ident(p.database()) + ".* TO "
                  + Sql.account(a.name(), host));
            }
          }
          StepRunner.heartbeat(a.name());
        }
      }
      return StepResult.of(accounts.size() + " account(s) from " + String.join(", ", hosts));
    });
  }

  @Override
  public StepResult doCreateDbs(StepInput in) {
    return runner.run(in, () -> {
      List<RequestDao.Database> dbs = access.requests.databases(in.instanceId());
      try (Connection c = access.root(in.instanceId(), in.role())) {
        for (RequestDao.Database d : dbs) {
          exec(c, "CREATE DATABASE IF NOT EXISTS " + Sql.ident(d.name()) + " CHARACTER SET " + d.charset());
        }
      }
      return StepResult.of(dbs.size() + " database(s): " + String.join(", ", dbs.stream().map(RequestDao.Database::name).toList()));
    });
  }

  // --- time zones -------------------------------------------------------------------------------

  @Override
  public StepResult doInsertTimeZoneTables(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      Optional<Path> tool = server.binaries().tzinfoToSql();
      if (tool.isEmpty()) {
        return StepResult.skipped("no mariadb-tzinfo-to-sql in " + server.binaries().server().getParent()
            + "; named time zones are unavailable, offsets such as +08:00 work");
      }
      if (!TimeZones.available()) {
        return StepResult.skipped("no " + TimeZones.ZONEINFO + " on host " + access.host.name());
      }
      try (Connection c = access.root(in.instanceId(), in.role())) {
        int present = TimeZones.count(c);
        if (present > 0) {
          // the usual case: every node's data directory came from the host's template with the zones in it
          return StepResult.of(present + " time zone names already on every node (from the host's data directory template)");
        }
        int zones = TimeZones.load(tool.get(), c, () -> StepRunner.heartbeat("time zones"));
        return StepResult.of(zones + " time zone names loaded (replicated to the slave)");
      }
    });
  }

  @Override
  public StepResult doResetNamedTimezoneConfig(StepInput in) {
    return runner.run(in, () -> {
      CreateRequest req = Json.read(access.instances.get(in.instanceId()).requestJson(), CreateRequest.class);
      String zone = req.timeZone();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      try (Connection c = access.root(in.instanceId(), in.role())) {
        while (true) {
          try (var ps = c.prepareStatement("SET GLOBAL time_zone = ?")) {
            ps.setString(1, zone);
            ps.execute();
            break;
          } catch (SQLException e) {
            if (e.getErrorCode() != 1298 || System.nanoTime() > deadline) {
              throw new StepFailure("time zone " + zone + " is not known to the server (" + e.getMessage() + ")");
            }
            StepRunner.heartbeat("waiting for the time zone tables to replicate");
            Thread.sleep(200);
          }
        }
      }
      Map<String, String> params = new LinkedHashMap<>(access.requests.params(in.instanceId()));
      if (!zone.equals(params.get("time_zone"))) {
        params.put("time_zone", zone);
        Map<String, String> sources = new LinkedHashMap<>();
        params.keySet().forEach(k -> sources.put(k, k.equals("time_zone") ? "request" : "template"));
        access.requests.replaceParams(in.instanceId(), params, sources);
      }
      access.server(in.instanceId(), in.role()).writeConfig();
      return StepResult.of("time zone " + zone + " live and in my.cnf");
    });
  }

  // --- registration, root, guard ------------------------------------------------------------------

  @Override
  public StepResult doAddPortToInstanceConfig(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      Path file = access.host.baseDir().resolve("instance.conf");
      boolean added = InstanceConfFile.add(file, server.port());
      return StepResult.of((added ? "added " : "already had ") + server.port() + " = 1 in " + file);
    });
  }

  @Override
  public StepResult doResetRootPassword(StepInput in) {
    return runner.run(in, () -> {
      try (Connection c = access.root(in.instanceId(), in.role())) {
        exec(c, "SET sql_log_bin=0");
        SecretSql.execute(c, "ALTER USER 'root'@'localhost' " + PasswordHash.identifiedBy(access.rootPassword(in.instanceId())),
            "ALTER USER root@localhost");
      }
      return StepResult.of("root@localhost has the stored password");
    });
  }

  @Override
  public StepResult doDropRootAccount(StepInput in) {
    return runner.run(in, () -> {
      List<String> dropped = new ArrayList<>();
      try (Connection c = access.root(in.instanceId(), in.role())) {
        exec(c, "SET sql_log_bin=0");
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT user, host FROM mysql.user WHERE (user='root' AND host <> 'localhost') OR user=''")) {
          while (rs.next()) {
            dropped.add(Sql.account(rs.getString(1), rs.getString(2)));
          }
        }
        for (String a : dropped) {
          exec(c, "DROP USER IF EXISTS " + a);
        }
      }
      return StepResult.of(dropped.isEmpty() ? "no remote root left" : "dropped " + String.join(", ", dropped));
    });
  }

  @Override
  public StepResult doSetServerReadonlyForGuardIns(StepInput in) {
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

  // --- host files ---------------------------------------------------------------------------------

  @Override
  public StepResult doRebuildInitd(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      Path script = InitScript.write(server, in.instanceId(), in.role(), asRoot());
      return StepResult.of("wrote " + script);
    });
  }

  @Override
  public StepResult doConfigResource(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      long pid = server.runningPid().orElseThrow(() -> new IllegalStateException("server of " + in.role() + " is not running"));
      long nofile = ResourceLimits.openFiles(Integer.parseInt(access.requests.params(in.instanceId()).getOrDefault("max_connections", "500")));
      return StepResult.of("pid " + pid + " open files (soft, hard): " + ResourceLimits.apply(pid, nofile));
    });
  }

  @Override
  public StepResult doPersistResourceConfig(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      long nofile = ResourceLimits.openFiles(Integer.parseInt(access.requests.params(in.instanceId()).getOrDefault("max_connections", "500")));
      ResourceLimits.persist(server.home(), nofile);
      return StepResult.of("NOFILE=" + nofile + " in " + server.home().resolve(InitScript.RESOURCE_FILE));
    });
  }

  @Override
  public StepResult doWriteInsnameToFile(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      InstanceDao.Instance ins = access.instances.get(in.instanceId());
      Files.writeString(server.home().resolve("insname"), ins.name() + "\n");
      return StepResult.of("insname " + ins.name());
    });
  }

  @Override
  public StepResult doFlushInsinfoFile(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      InstanceDao.Instance ins = access.instances.get(in.instanceId());
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("instanceId", ins.id());
      info.put("name", ins.name());
      info.put("role", in.role());
      info.put("port", server.port());
      info.put("engine", server.binaries().flavor().name().toLowerCase());
      info.put("version", server.binaries().version());
      if (ins.masterSlave()) {
        NodeDao.Node peer = access.peer(in.instanceId(), in.role());
        info.put("peer", access.address(peer) + ":" + peer.port());
      }
      Files.writeString(server.home().resolve("insinfo.json"), Json.write(info) + "\n");
      return StepResult.of("wrote " + server.home().resolve("insinfo.json"));
    });
  }

  @Override
  public StepResult doPersisCustinsParam(StepInput in) {
    return runner.run(in, () -> {
      Map<String, String> expected = access.requests.params(in.instanceId());
      List<String> mismatches = new ArrayList<>();
      int checked = 0;
      try (Connection c = access.root(in.instanceId(), in.role())) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
          try (var ps = c.prepareStatement("SHOW GLOBAL VARIABLES LIKE ?")) {
            ps.setString(1, e.getKey());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                continue;
              }
              checked++;
              if (!sameValue(e.getValue(), rs.getString(2))) {
                mismatches.add(e.getKey() + "=" + rs.getString(2) + " (expected " + e.getValue() + ")");
              }
            }
          }
        }
      }
      if (!mismatches.isEmpty()) {
        throw new StepFailure("running values differ from mycnf_custinstance: " + String.join(", ", mismatches));
      }
      return StepResult.of(checked + " parameters verified on the running server");
    });
  }

  static boolean sameValue(String expected, String actual) {
    if (expected.equalsIgnoreCase(actual)) {
      return true;
    }
    try {
      return Double.parseDouble(expected) == Double.parseDouble(actual);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public StepResult doStartCreateNewBackup(StepInput in) {
    return runner.run(in, () -> {
      MysqldServer server = access.server(in.instanceId(), in.role());
      Backups.Backup b = Backups.full(server, access.rootPassword(in.instanceId()), () -> StepRunner.heartbeat("backup"));
      access.requests.recordBackup(in.instanceId(), b.path().toString(), b.bytes(), b.method());
      return StepResult.of(b.method() + " " + b.path() + " (" + b.bytes() + " bytes)");
    });
  }

  // --- helpers -------------------------------------------------------------------------------------

  private static List<String> accountHosts(List<String> whitelist) {
    return whitelist.stream().map(Whitelist::accountHost).distinct().toList();
  }

  /** CREATE USER IF NOT EXISTS + ALTER USER: the account exists with exactly this password (sent as its hash). */
  private static void account(Connection c, String user, String host, String password) throws SQLException {
    String who = Sql.account(user, host);
    String identified = PasswordHash.identifiedBy(password);
    SecretSql.execute(c, "CREATE USER IF NOT EXISTS " + who + " " + identified, "CREATE USER " + who);
    SecretSql.execute(c, "ALTER USER " + who + " " + identified, "ALTER USER " + who);
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static boolean ownedBy(Path home, String instanceId) {
    try {
      return Files.exists(home.resolve(NodeServer.OWNER_MARKER))
          && Files.readString(home.resolve(NodeServer.OWNER_MARKER)).trim().equals(instanceId);
    } catch (IOException e) {
      return false;
    }
  }
}

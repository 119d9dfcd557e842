package io.rdsflow.activities.steps;

import static io.rdsflow.activities.steps.HostSql.account;
import static io.rdsflow.activities.steps.HostSql.accountHosts;
import static io.rdsflow.activities.steps.HostSql.exec;

import io.rdsflow.activities.local.Privileges;
import io.rdsflow.activities.local.SecretSql;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.PasswordHash;
import io.rdsflow.mysqld.ServerBinaries;
import io.rdsflow.mysqld.Sql;
import io.rdsflow.workflows.activities.HostAccountSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Accounts, privileges and databases on the node of {@code StepInput.role} on this host (seed 003). */
public final class HostAccountStepsImpl implements HostAccountSteps {
  private final StepRunner runner;
  private final NodeAccess access;

  public HostAccountStepsImpl(StepRunner runner, NodeAccess access) {
    this.runner = runner;
    this.access = access;
  }

  @Override
  public StepResult doInitializeMysqlAccountByMaster(StepInput in) { // do_initialize_mysql_account_by_master
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      List<String> hosts = accountHosts(access.requests.whitelist(in.instanceId(), "admin"));
      MysqldServer server = n.server();
      boolean maria = server.binaries().flavor() == ServerBinaries.Flavor.MARIADB;
      String monitorGrants = "PROCESS, REPLICATION CLIENT, SELECT" + (maria && server.binaries().atLeast(10, 5) ? ", SLAVE MONITOR" : "");
      boolean custom = n.account(ControlStepsImpl.CUSTOM).isPresent();
      List<RequestDao.Database> dbs = custom ? access.requests.databases(in.instanceId()) : List.of();
      try (Connection c = n.root()) {
        for (String host : hosts) {
          account(c, ControlStepsImpl.ADMIN, host, n.accountPassword(ControlStepsImpl.ADMIN));
          exec(c, "GRANT ALL PRIVILEGES ON *.* TO " + Sql.account(ControlStepsImpl.ADMIN, host) + " WITH GRANT OPTION");
          account(c, ControlStepsImpl.MONITOR, host, n.accountPassword(ControlStepsImpl.MONITOR));
          exec(c, "GRANT " + monitorGrants + " ON *.* TO " + Sql.account(ControlStepsImpl.MONITOR, host));
          if (custom) {
            // custom SQL metrics: SELECT on the request's databases ('_' escaped: a wildcard in grants), nothing else
            account(c, ControlStepsImpl.CUSTOM, host, n.accountPassword(ControlStepsImpl.CUSTOM));
            for (RequestDao.Database db : dbs) {
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
  public StepResult doGrantMasterByMaster(StepInput in) { // do_grant_master_by_master
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      if (n.account(ControlStepsImpl.REPL).isEmpty()) {
        return StepResult.skipped("topology single: no replication account");
      }
      List<String> hosts = accountHosts(access.requests.whitelist(in.instanceId(), "admin"));
      try (Connection c = n.root()) {
        for (String host : hosts) {
          account(c, ControlStepsImpl.REPL, host, n.accountPassword(ControlStepsImpl.REPL));
          exec(c, "GRANT REPLICATION SLAVE ON *.* TO " + Sql.account(ControlStepsImpl.REPL, host));
        }
      }
      return StepResult.of(ControlStepsImpl.REPL + " may replicate from " + String.join(", ", hosts));
    });
  }

  @Override
  public StepResult doCreateAccounts(StepInput in) { // do_create_accounts
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      List<String> hosts = accountHosts(access.requests.whitelist(in.instanceId(), "user"));
      List<RequestDao.Account> accounts = access.requests.accounts(in.instanceId(), "user");
      try (Connection c = n.root()) {
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
  public StepResult doCreateDbs(StepInput in) { // do_create_dbs
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      List<RequestDao.Database> dbs = access.requests.databases(in.instanceId());
      try (Connection c = n.root()) {
        for (RequestDao.Database d : dbs) {
          exec(c, "CREATE DATABASE IF NOT EXISTS " + Sql.ident(d.name()) + " CHARACTER SET " + d.charset());
        }
      }
      return StepResult.of(dbs.size() + " database(s): " + String.join(", ", dbs.stream().map(RequestDao.Database::name).toList()));
    });
  }

  @Override
  public StepResult doResetRootPassword(StepInput in) { // do_reset_root_password
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      try (Connection c = n.root()) {
        exec(c, "SET sql_log_bin=0");
        SecretSql.execute(c, "ALTER USER 'root'@'localhost' " + PasswordHash.identifiedBy(n.rootPassword()),
            "ALTER USER root@localhost");
      }
      return StepResult.of("root@localhost has the stored password");
    });
  }

  @Override
  public StepResult doDropRootAccount(StepInput in) { // do_drop_root_account
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      List<String> dropped = new ArrayList<>();
      try (Connection c = n.root()) {
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
}

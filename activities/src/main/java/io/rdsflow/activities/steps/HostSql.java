package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.SecretSql;
import io.rdsflow.activities.local.Whitelist;
import io.rdsflow.mysqld.PasswordHash;
import io.rdsflow.mysqld.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** SQL shared by the host steps: accounts created from a whitelist with a password sent as its hash. */
final class HostSql {
  private HostSql() {}

  static List<String> accountHosts(List<String> whitelist) {
    return whitelist.stream().map(Whitelist::accountHost).distinct().toList();
  }

  /** CREATE USER IF NOT EXISTS + ALTER USER: the account exists with exactly this password (sent as its hash). */
  static void account(Connection c, String user, String host, String password) throws SQLException {
    String who = Sql.account(user, host);
    String identified = PasswordHash.identifiedBy(password);
    SecretSql.execute(c, "CREATE USER IF NOT EXISTS " + who + " " + identified, "CREATE USER " + who);
    SecretSql.execute(c, "ALTER USER " + who + " " + identified, "ALTER USER " + who);
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}

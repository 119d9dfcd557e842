package io.rdsflow.mysqld;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the password-less root accounts a fresh data directory has into one root reachable from
 * the server's own host only, with a password: {@code root@localhost} (socket) and
 * {@code root@127.0.0.1} (TCP). Every other root and every anonymous account is dropped.
 */
public final class RootAccount {
  private RootAccount() {}

  /** Connects over the socket as the password-less root; fails once the root has a password. */
  public static Connection connectFresh(MysqldServer server) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://localhost/?localSocket=" + server.socket() + "&user=root&sslMode=disable");
  }

  public static Connection connect(MysqldServer server, String rootPassword) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(""), "root", rootPassword);
  }

  /** Sets the root password and drops the accounts that need none; safe to repeat. */
  public static void secure(Connection c, String rootPassword) throws SQLException {
    String pw = PasswordHash.identifiedBy(rootPassword);
    try (Statement s = c.createStatement()) {
      s.execute("SET sql_log_bin=0");
      s.execute("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' " + pw);
      s.execute("ALTER USER 'root'@'127.0.0.1' " + pw);
      s.execute("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
      List<String> drop = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT user, host FROM mysql.user "
          + "WHERE (user='root' AND host NOT IN ('localhost','127.0.0.1')) OR user=''")) {
        while (rs.next()) {
          drop.add(Sql.account(rs.getString(1), rs.getString(2)));
        }
      }
      for (String account : drop) {
        s.execute("DROP USER IF EXISTS " + account);
      }
      s.execute("ALTER USER 'root'@'localhost' " + pw);
      s.execute("FLUSH PRIVILEGES");
    }
  }
}

package io.rdsflow.activities.local;

import io.rdsflow.mysqld.ServerBinaries;
import io.rdsflow.mysqld.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** Replication SQL of one node: point it at its peer, and read its health. */
public final class Replication {
  /** The health of a replica: both threads, lag, the configured delay ({@code SQL_Delay}, 0 when none) and the last error. */
  public record Status(boolean ioRunning, boolean sqlRunning, Long lagSeconds, String lastError, long sqlDelaySeconds) {
    public boolean healthy() {
      return ioRunning && sqlRunning;
    }
  }

  private Replication() {}

  /** Makes the node replicate from host:port as the replication account; safe to repeat. */
  public static void follow(Connection c, ServerBinaries.Flavor flavor, String host, int port, String user, String password)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("STOP SLAVE");
    }
    String common = "MASTER_HOST=" + Sql.literal(host) + ", MASTER_PORT=" + port + ", MASTER_USER=" + Sql.literal(user)
        + ", MASTER_PASSWORD=" + Sql.literal(password) + ", MASTER_CONNECT_RETRY=1";
    String sql = flavor == ServerBinaries.Flavor.MARIADB
        ? "CHANGE MASTER TO " + common + ", MASTER_USE_GTID=slave_pos"
        : "CHANGE MASTER TO " + common + ", MASTER_AUTO_POSITION=1";
    SecretSql.execute(c, sql, "CHANGE MASTER TO " + host + ":" + port);
    try (Statement s = c.createStatement()) {
      s.execute("START SLAVE");
    }
  }

  /**
   * The server keeps the replication account's password in {@code master.info} (MariaDB has no other
   * store for it, and needs it to reconnect after a restart): readable by its owner only. It is the one
   * file that holds it; no binlog, relay log or other file does.
   */
  public static void protectMasterInfo(java.nio.file.Path dataDir) throws java.io.IOException {
    java.nio.file.Path info = dataDir.resolve("master.info");
    if (java.nio.file.Files.exists(info)) {
      java.nio.file.Files.setPosixFilePermissions(info, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
  }

  public static Optional<Status> status(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      String lag = column(rs, "Seconds_Behind_Master", "Seconds_Behind_Source");
      String ioError = column(rs, "Last_IO_Error", "Last_IO_Error");
      String sqlError = column(rs, "Last_SQL_Error", "Last_SQL_Error");
      String error = ioError != null && !ioError.isBlank() ? ioError : sqlError;
      String delay = column(rs, "SQL_Delay", "SQL_Delay");
      return Optional.of(new Status(
          "Yes".equals(column(rs, "Slave_IO_Running", "Replica_IO_Running")),
          "Yes".equals(column(rs, "Slave_SQL_Running", "Replica_SQL_Running")),
          lag == null ? null : Long.parseLong(lag),
          error == null || error.isBlank() ? null : error,
          delay == null || delay.isBlank() ? 0 : Long.parseLong(delay)));
    }
  }

  private static String column(ResultSet rs, String name, String alternative) throws SQLException {
    try {
      return rs.getString(name);
    } catch (SQLException e) {
      return rs.getString(alternative);
    }
  }

  /** The master's GTID position (MariaDB), to wait for on the replica. */
  public static String binlogPosition(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Waits up to {@code seconds} for the replica to apply {@code position}; true when it has. */
  public static boolean waitFor(Connection c, String position, int seconds) throws SQLException {
    try (var ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
      ps.setString(1, position);
      ps.setInt(2, seconds);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 0;
      }
    }
  }
}

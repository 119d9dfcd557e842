package io.rdsflow.activities.local;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs statements that carry a password (CREATE USER, CHANGE MASTER). A server error can echo the
 * statement, so the error is re-thrown with only its code and a description, never the text.
 */
public final class SecretSql {
  private SecretSql() {}

  public static void execute(Connection c, String sql, String description) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new SQLException(description + " failed (error " + e.getErrorCode() + ", state " + e.getSQLState() + ")",
          e.getSQLState(), e.getErrorCode());
    }
  }
}

package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code information_schema.PROCESSLIST} (mysqld_exporter's {@code info_schema.processlist}): the
 * sessions by user, client host and database and the longest active one, the collector's own
 * connection excluded (see {@link SessionStats}).
 */
final class ProcesslistSource implements JdbcSource {
  static final String QUERY = "SELECT USER, HOST, DB, COMMAND, TIME FROM information_schema.PROCESSLIST "
      + "WHERE ID <> CONNECTION_ID()";

  @Override
  public String name() {
    return "info_schema.processlist";
  }

  @Override
  public List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException {
    List<SessionStats.Session> sessions = new ArrayList<>();
    try (Statement s = JdbcSource.statement(c, queryTimeoutSeconds); ResultSet rs = s.executeQuery(QUERY)) {
      while (rs.next()) {
        sessions.add(new SessionStats.Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
      }
    }
    return SessionStats.of(sessions);
  }
}

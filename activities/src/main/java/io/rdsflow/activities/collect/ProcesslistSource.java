package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code information_schema.PROCESSLIST} (mysqld_exporter's {@code info_schema.processlist}): the
 * sessions by user, client host and database, the longest active one, and the threads and their time by
 * command and state (see {@link SessionStats}), the collector's own connection excluded.
 *
 * <p>Without PROCESS the server shows an account its own sessions only, which would be a silent gap: the
 * same statement reads whether the account holds PROCESS itself ({@code USER_PRIVILEGES}, the account's
 * own rows), and when it does not and no other account's session is in sight, the source is
 * {@link JdbcSource.Incomplete}: its samples stand and the error says why they are partial. (PROCESS
 * through a role is not in {@code USER_PRIVILEGES}; grant it to the account.)
 */
final class ProcesslistSource implements JdbcSource {
  static final String QUERY = "SELECT p.USER, p.HOST, p.DB, p.COMMAND, p.TIME, p.STATE, g.process, g.self FROM "
      + "(SELECT COUNT(*) AS process, SUBSTRING_INDEX(CURRENT_USER(), '@', 1) AS self "
      + "FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'PROCESS' "
      + "AND GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')) g "
      + "LEFT JOIN information_schema.PROCESSLIST p ON p.ID <> CONNECTION_ID()";

  static final String NO_PROCESS = "the monitor account lacks PROCESS: the process list shows its own sessions only "
      + "(GRANT PROCESS ON *.* TO the account)";

  @Override
  public String name() {
    return Collectors.PROCESSLIST;
  }

  @Override
  public List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException {
    List<SessionStats.Session> sessions = new ArrayList<>();
    boolean process = false;
    String self = null;
    try (Statement s = JdbcSource.statement(c, queryTimeoutSeconds); ResultSet rs = s.executeQuery(QUERY)) {
      while (rs.next()) {
        process = rs.getLong(7) > 0;
        self = rs.getString(8);
        if (rs.getString(4) != null) { // the privilege row alone when no other session is there
          sessions.add(new SessionStats.Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getLong(5), rs.getString(6)));
        }
      }
    }
    List<Sample> samples = SessionStats.of(sessions);
    String account = self;
    if (!process && sessions.stream().allMatch(x -> x.user() == null || x.user().equals(account))) {
      throw new JdbcSource.Incomplete(NO_PROCESS, samples);
    }
    return samples;
  }
}

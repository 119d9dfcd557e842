package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code SHOW GLOBAL STATUS} (mysqld_exporter's {@code global_status}): threads connected and
 * running as gauges, questions and slow queries as counters.
 */
final class GlobalStatusSource implements JdbcSource {
  static final String QUERY = "SHOW GLOBAL STATUS WHERE Variable_name IN "
      + "('Threads_connected', 'Threads_running', 'Questions', 'Slow_queries')";

  @Override
  public String name() {
    return "global_status";
  }

  @Override
  public List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException {
    List<Sample> out = new ArrayList<>();
    try (Statement s = JdbcSource.statement(c, queryTimeoutSeconds); ResultSet rs = s.executeQuery(QUERY)) {
      while (rs.next()) {
        double v = rs.getDouble(2);
        switch (rs.getString(1)) {
          case "Threads_connected" -> out.add(Sample.gauge("threads_connected", v));
          case "Threads_running" -> out.add(Sample.gauge("threads_running", v));
          case "Questions" -> out.add(Sample.counter("questions", v));
          case "Slow_queries" -> out.add(Sample.counter("slow_queries", v));
          default -> { }
        }
      }
    }
    return out;
  }
}

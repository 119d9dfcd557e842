package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One source of a server's built-in series, as a mysqld_exporter collector is: named after what it
 * reads ({@code info_schema.processlist}, {@code global_status}, {@code slave_status}), scraped over
 * the connection {@link JdbcCollector} holds for the round. A source that throws fails alone: the
 * collector records {@code rdsflow_collector_success{collector="<name>"} 0} and goes on with the next.
 */
public interface JdbcSource {
  /** The collector label: the server's source, as mysqld_exporter names it. */
  String name();

  /** The source's samples; every statement bounded by {@code queryTimeoutSeconds}. */
  List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException;

  /** How one source fared in one scrape: {@code error} is null on success. */
  record Outcome(String source, boolean success, long durationNanos, String error) {}

  static Statement statement(Connection c, int queryTimeoutSeconds) throws SQLException {
    Statement s = c.createStatement();
    s.setQueryTimeout(queryTimeoutSeconds);
    return s;
  }
}

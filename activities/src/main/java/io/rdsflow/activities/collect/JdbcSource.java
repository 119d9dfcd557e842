package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One source of a server's built-in series, as a mysqld_exporter collector is: named after what it
 * reads ({@link Collectors}: {@code processlist}, {@code global_status}, {@code global_variables},
 * {@code slave_status}, {@code innodb}), one statement over the connection {@link JdbcCollector} holds
 * for the round. A source that throws fails alone: the collector records
 * {@code rdsflow_collector_success{collector="<name>"} 0}, counts {@code rds_scrape_errors_total{collector}},
 * reports the error in the round and goes on with the next. A source that read only part of what it
 * should throws {@link Incomplete} with what it did read: the samples stand, the error is reported.
 */
public interface JdbcSource {
  /** The collector label and switch name ({@link Collectors#NAMES}). */
  String name();

  /** The source's samples; every statement bounded by {@code queryTimeoutSeconds}. */
  List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException;

  /** How one source fared in one scrape: {@code error} is null on success. */
  record Outcome(String source, boolean success, long durationNanos, String error) {}

  /**
   * The source read only part of what it should (e.g. the process list without PROCESS shows the account's
   * own sessions only): {@link #samples} are published, the message is reported as the source's error.
   */
  final class Incomplete extends SQLException {
    private final transient List<Sample> samples;

    public Incomplete(String message, List<Sample> samples) {
      super(message);
      this.samples = List.copyOf(samples);
    }

    public List<Sample> samples() {
      return samples;
    }
  }

  static Statement statement(Connection c, int queryTimeoutSeconds) throws SQLException {
    Statement s = c.createStatement();
    s.setQueryTimeout(queryTimeoutSeconds);
    return s;
  }

  /**
   * Runs a statement of {@code name, value} rows ({@code SHOW GLOBAL STATUS}, {@code SHOW GLOBAL VARIABLES}) bounded
   * by {@code queryTimeoutSeconds} and hands each row on: the sources that read such a statement differ only in what
   * a row becomes.
   */
  static void eachNameValue(Connection c, int queryTimeoutSeconds, String query, BiConsumer<String, String> row)
      throws SQLException {
    try (Statement s = statement(c, queryTimeoutSeconds); ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        row.accept(rs.getString(1), rs.getString(2));
      }
    }
  }
}

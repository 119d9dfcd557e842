package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code SHOW GLOBAL STATUS} (mysqld_exporter's {@code global_status}), one statement filtered on the
 * server: threads, questions, slow queries, uptime, the command counters ({@code Com_*} as
 * {@code rds_commands_total{command}}), connection errors, aborted clients and connects, the InnoDB buffer
 * pool and row-lock waits. A command counter still at zero is left out unless it is one of {@link #COMMANDS}
 * (MariaDB has about 170 of them, most never used): the core ones are always there for {@code rate()}.
 */
final class GlobalStatusSource implements JdbcSource {
  static final String QUERY = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_connected', 'Threads_running', "
      + "'Questions', 'Slow_queries', 'Uptime', 'Aborted_clients', 'Aborted_connects', 'Innodb_buffer_pool_pages_data', "
      + "'Innodb_buffer_pool_pages_free', 'Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total', "
      + "'Innodb_buffer_pool_read_requests', 'Innodb_buffer_pool_reads', 'Innodb_row_lock_waits', 'Innodb_row_lock_time') "
      + "OR Variable_name LIKE 'Com\\_%' OR Variable_name LIKE 'Connection\\_errors\\_%'";

  /** The command counters published even at zero: reads, writes and transactions. */
  static final Set<String> COMMANDS = Set.of("select", "insert", "insert_select", "update", "update_multi", "delete",
      "delete_multi", "replace", "replace_select", "load", "commit", "rollback", "begin", "call_procedure", "stmt_execute");

  /** Status variable → the sample it becomes (the metric without {@code rds_}); counters end in {@code _total} when published. */
  private static final Map<String, Sample> PLAIN = Map.ofEntries(
      Map.entry("Threads_connected", Sample.gauge("threads_connected", 0)),
      Map.entry("Threads_running", Sample.gauge("threads_running", 0)),
      Map.entry("Questions", Sample.counter("questions", 0)),
      Map.entry("Slow_queries", Sample.counter("slow_queries", 0)),
      Map.entry("Uptime", Sample.gauge("uptime_seconds", 0)),
      Map.entry("Aborted_clients", Sample.counter("aborted_clients", 0)),
      Map.entry("Aborted_connects", Sample.counter("aborted_connects", 0)),
      Map.entry("Innodb_buffer_pool_pages_data", Sample.gauge("innodb_buffer_pool_pages", "state", "data", 0)),
      Map.entry("Innodb_buffer_pool_pages_free", Sample.gauge("innodb_buffer_pool_pages", "state", "free", 0)),
      Map.entry("Innodb_buffer_pool_pages_dirty", Sample.gauge("innodb_buffer_pool_pages", "state", "dirty", 0)),
      Map.entry("Innodb_buffer_pool_pages_total", Sample.gauge("innodb_buffer_pool_pages", "state", "total", 0)),
      Map.entry("Innodb_buffer_pool_read_requests", Sample.counter("innodb_buffer_pool_read_requests", 0)),
      Map.entry("Innodb_buffer_pool_reads", Sample.counter("innodb_buffer_pool_reads", 0)),
      Map.entry("Innodb_row_lock_waits", Sample.counter("innodb_row_lock_waits", 0)));

  @Override
  public String name() {
    return Collectors.GLOBAL_STATUS;
  }

  @Override
  public List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException {
    List<Sample> out = new ArrayList<>();
    JdbcSource.eachNameValue(c, queryTimeoutSeconds, QUERY, (name, value) -> {
      double v = Double.parseDouble(value);
      Sample plain = PLAIN.get(name);
      if (plain != null) {
        out.add(new Sample(plain.metric(), plain.labels(), v, plain.counter()));
      } else if (name.equals("Innodb_row_lock_time")) { // milliseconds on the server
        out.add(Sample.counter("innodb_row_lock_time_seconds", v / 1000));
      } else if (name.startsWith("Com_")) {
        String command = name.substring("Com_".length()).toLowerCase(Locale.ROOT);
        if (v != 0 || COMMANDS.contains(command)) {
          out.add(Sample.counter("commands", "command", command, v));
        }
      } else if (name.startsWith("Connection_errors_")) {
        out.add(Sample.counter("connection_errors", "error", name.substring("Connection_errors_".length())
            .toLowerCase(Locale.ROOT), v));
      }
    });
    return out;
  }
}

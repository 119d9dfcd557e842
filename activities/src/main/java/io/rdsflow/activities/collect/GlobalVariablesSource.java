package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code SHOW GLOBAL VARIABLES} (mysqld_exporter's {@code global_variables}), only {@link #VARIABLES} and
 * the version: {@code rds_global_variable{variable}} (ON/OFF as 1/0), {@code rds_max_connections} on its
 * own (the denominator of every "connections near the limit" alert) and {@code rds_version_info{version} 1}.
 * Needs no privilege.
 */
final class GlobalVariablesSource implements JdbcSource {
  /** The numeric globals an operator looks at when a server misbehaves. */
  static final List<String> VARIABLES = List.of("max_connections", "innodb_buffer_pool_size", "table_open_cache",
      "thread_cache_size", "read_only", "max_allowed_packet", "wait_timeout", "long_query_time", "innodb_log_file_size",
      "sync_binlog", "innodb_flush_log_at_trx_commit");

  static final String QUERY = "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('version', '"
      + String.join("', '", VARIABLES) + "')";

  @Override
  public String name() {
    return Collectors.GLOBAL_VARIABLES;
  }

  @Override
  public List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException {
    List<Sample> out = new ArrayList<>();
    JdbcSource.eachNameValue(c, queryTimeoutSeconds, QUERY, (name, value) -> {
      if (name.equals("version")) {
        out.add(Sample.gauge("version_info", "version", value, 1));
        return;
      }
      Double v = number(value);
      if (v == null) {
        return;
      }
      out.add(Sample.gauge("global_variable", "variable", name, v));
      if (name.equals("max_connections")) {
        out.add(Sample.gauge("max_connections", v));
      }
    });
    return out;
  }

  /** A number, ON/OFF as 1/0, else null (a value that is not a number is not a series). */
  static Double number(String value) {
    if (value == null) {
      return null;
    }
    switch (value.toUpperCase(Locale.ROOT)) {
      case "ON", "YES", "TRUE" -> {
        return 1.0;
      }
      case "OFF", "NO", "FALSE" -> {
        return 0.0;
      }
      default -> {
        try {
          return Double.parseDouble(value);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
  }
}

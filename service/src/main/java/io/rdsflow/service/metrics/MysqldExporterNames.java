package io.rdsflow.service.metrics;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mysqld_exporter-compatible view ({@code prometheus.mysqldExporterNames}, env
 * {@code PROMETHEUS_MYSQLD_EXPORTER_NAMES}): the per-target {@code rds_*} series published a second time
 * under the names prometheus/mysqld_exporter gives them ({@code mysql_up}, {@code mysql_global_status_*},
 * {@code mysql_global_variables_*}, {@code mysql_slave_status_*}, {@code mysql_info_schema_processlist_*},
 * {@code mysql_version_info}), with the same labels (instance identity first), values in the exporter's
 * units (row-lock time in milliseconds) and its types (status and variables untyped, the command and
 * connection-error counters as {@code _total} counters), so that the mysqld-mixin alerts and the
 * Percona/Grafana dashboards evaluate unchanged against rdsflow.
 *
 * <p>On by default: users who run mysqld_exporter today keep their alerts and dashboards on the first day,
 * without rewriting a query. The cost is the mapped series a second time (about twice the per-target
 * series, the service's own not doubled); set it off when only the {@code rds_*} names are used.
 * Only what rdsflow collects is mapped: nothing of the exporter's other collectors.
 */
public final class MysqldExporterNames {
  private static final java.util.regex.Pattern NAME_PART = java.util.regex.Pattern.compile("[a-z0-9_]+");

  /** How one {@code rds_*} sample becomes a {@code mysql_*} one, or null to leave it out. */
  private interface Rule {
    Mapped map(List<String> labelNames, List<String> labelValues, double value);
  }

  private record Mapped(String family, Type type, List<String> labelNames, List<String> labelValues, double value) {}

  /** By the {@code rds_*} family name (a counter's without {@code _total}). */
  private static final Map<String, Rule> RULES = new LinkedHashMap<>();

  static {
    RULES.put("rds_up", same("mysql_up", Type.GAUGE, 1));
    RULES.put("rds_uptime_seconds", same("mysql_global_status_uptime", Type.UNKNOWN, 1));
    RULES.put("rds_threads_connected", same("mysql_global_status_threads_connected", Type.UNKNOWN, 1));
    RULES.put("rds_threads_running", same("mysql_global_status_threads_running", Type.UNKNOWN, 1));
    RULES.put("rds_questions", same("mysql_global_status_questions", Type.UNKNOWN, 1));
    RULES.put("rds_slow_queries", same("mysql_global_status_slow_queries", Type.UNKNOWN, 1));
    RULES.put("rds_aborted_clients", same("mysql_global_status_aborted_clients", Type.UNKNOWN, 1));
    RULES.put("rds_aborted_connects", same("mysql_global_status_aborted_connects", Type.UNKNOWN, 1));
    RULES.put("rds_commands", same("mysql_global_status_commands", Type.COUNTER, 1));
    RULES.put("rds_connection_errors", same("mysql_global_status_connection_errors", Type.COUNTER, 1));
    RULES.put("rds_innodb_buffer_pool_read_requests", same("mysql_global_status_innodb_buffer_pool_read_requests", Type.UNKNOWN, 1));
    RULES.put("rds_innodb_buffer_pool_reads", same("mysql_global_status_innodb_buffer_pool_reads", Type.UNKNOWN, 1));
    RULES.put("rds_innodb_row_lock_waits", same("mysql_global_status_innodb_row_lock_waits", Type.UNKNOWN, 1));
    RULES.put("rds_innodb_row_lock_time_seconds", same("mysql_global_status_innodb_row_lock_time", Type.UNKNOWN, 1000));
    // the exporter: Innodb_buffer_pool_pages_<state> as buffer_pool_pages{state}, the dirty ones apart
    RULES.put("rds_innodb_buffer_pool_pages", (names, values, v) -> "dirty".equals(label(names, values, "state"))
        ? new Mapped("mysql_global_status_buffer_pool_dirty_pages", Type.GAUGE, without(names, "state"),
            without(names, values, "state"), v)
        : new Mapped("mysql_global_status_buffer_pool_pages", Type.GAUGE, names, values, v));
    RULES.put("rds_global_variable", byLabel("variable", "mysql_global_variables_"));
    RULES.put("rds_version_info", same("mysql_version_info", Type.GAUGE, 1));
    RULES.put("rds_replication_running", byLabel("thread", "mysql_slave_status_slave_", "_running"));
    RULES.put("rds_replication_lag_seconds", same("mysql_slave_status_seconds_behind_master", Type.UNKNOWN, 1));
    RULES.put("rds_replication_sql_delay_seconds", same("mysql_slave_status_sql_delay", Type.UNKNOWN, 1));
    RULES.put("rds_processlist_threads", same("mysql_info_schema_processlist_threads", Type.GAUGE, 1));
    RULES.put("rds_processlist_seconds", same("mysql_info_schema_processlist_seconds", Type.GAUGE, 1));
  }

  private MysqldExporterNames() {}

  /**
   * The {@code mysql_*} families of the {@code rds_*} ones among {@code families} (which are left as they are); the
   * view {@link SnapshotPublisher} publishes after each target's families when the switch is on.
   */
  public static List<MetricFamilySamples> of(List<MetricFamilySamples> families) {
    Map<String, List<MetricFamilySamples.Sample>> samples = new LinkedHashMap<>();
    Map<String, Type> types = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (MetricFamilySamples f : families) {
      Rule rule = RULES.get(f.name);
      if (rule == null) {
        continue;
      }
      for (MetricFamilySamples.Sample s : f.samples) {
        Mapped m = rule.map(s.labelNames, s.labelValues, s.value);
        if (m == null) {
          continue;
        }
        String sampleName = m.type() == Type.COUNTER ? m.family() + "_total" : m.family();
        samples.computeIfAbsent(m.family(), k -> new ArrayList<>())
            .add(new MetricFamilySamples.Sample(sampleName, m.labelNames(), m.labelValues(), m.value()));
        types.putIfAbsent(m.family(), m.type());
        sources.putIfAbsent(m.family(), f.name);
      }
    }
    List<MetricFamilySamples> out = new ArrayList<>(samples.size());
    samples.forEach((name, list) -> out.add(new MetricFamilySamples(name, types.get(name),
        "mysqld_exporter name of " + sources.get(name) + " (prometheus.mysqldExporterNames)", list)));
    return out;
  }

  private static Rule same(String family, Type type, double factor) {
    return (names, values, v) -> new Mapped(family, type, names, values, v * factor);
  }

  /** The label's value goes into the name ({@code prefix + value + suffix}), the label itself out. */
  private static Rule byLabel(String label, String prefix) {
    return byLabel(label, prefix, "");
  }

  private static Rule byLabel(String label, String prefix, String suffix) {
    return (names, values, v) -> {
      String value = label(names, values, label);
      if (value == null || !NAME_PART.matcher(value).matches()) {
        return null;
      }
      return new Mapped(prefix + value + suffix, Type.UNKNOWN, without(names, label), without(names, values, label), v);
    };
  }

  private static String label(List<String> names, List<String> values, String label) {
    int i = names.indexOf(label);
    return i < 0 ? null : values.get(i);
  }

  private static List<String> without(List<String> names, String label) {
    List<String> out = new ArrayList<>(names);
    out.remove(label);
    return out;
  }

  private static List<String> without(List<String> names, List<String> values, String label) {
    List<String> out = new ArrayList<>(values);
    int i = names.indexOf(label);
    if (i >= 0) {
      out.remove(i);
    }
    return out;
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.Type;
import io.prometheus.client.exporter.common.TextFormat;
import io.rdsflow.service.metrics.MysqldExporterNames;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mysqld_exporter view of the rds_* series: the table of what each becomes (name, labels, value in the
 * exporter's unit), the identity labels kept, promtool clean with the rds_ families before it.
 */
class MysqldExporterNamesTest {
  @TempDir Path dir;

  private static final List<String> IDENTITY = List.of("instance_id", "instance_name", "engine", "aliyun_uid", "role");
  private static final List<String> ID_VALUES = List.of("re-1", "orders", "external", "", "master");

  /** The target's rds_ families as SnapshotPublisher makes them: identity labels first, a counter's samples in _total. */
  private final Map<String, MetricFamilySamples> families = new LinkedHashMap<>();

  private void rds(String metric, Map<String, String> labels, double value, boolean counter) {
    String family = "rds_" + metric;
    List<String> names = new ArrayList<>(IDENTITY);
    List<String> values = new ArrayList<>(ID_VALUES);
    new java.util.TreeMap<>(labels).forEach((k, v) -> {
      names.add(k);
      values.add(v);
    });
    MetricFamilySamples f = families.computeIfAbsent(family, k -> new MetricFamilySamples(k, counter ? Type.COUNTER : Type.GAUGE,
        "rds_" + metric + ", per target (rdsflow)", new ArrayList<>()));
    f.samples.add(new MetricFamilySamples.Sample(counter ? family + "_total" : family, names, values, value));
  }

  private String fleetOfOne() throws Exception {
    rds("up", Map.of(), 1, false);
    rds("uptime_seconds", Map.of(), 3600, false);
    rds("threads_connected", Map.of(), 7, false);
    rds("questions", Map.of(), 1234, true);
    rds("commands", Map.of("command", "select"), 99, true);
    rds("connection_errors", Map.of("error", "max_connections"), 2, true);
    rds("innodb_buffer_pool_pages", Map.of("state", "free"), 500, false);
    rds("innodb_buffer_pool_pages", Map.of("state", "dirty"), 12, false);
    rds("innodb_row_lock_time_seconds", Map.of(), 1.5, true);
    rds("global_variable", Map.of("variable", "max_connections"), 151, false);
    rds("max_connections", Map.of(), 151, false);
    rds("version_info", Map.of("version", "10.11.19-MariaDB"), 1, false);
    rds("replication_running", Map.of("thread", "io"), 1, false);
    rds("replication_running", Map.of("thread", "sql"), 0, false);
    rds("replication_lag_seconds", Map.of(), 4, false);
    rds("replication_sql_delay_seconds", Map.of(), 0, false);
    rds("processlist_threads", Map.of("command", "query", "state", "sending_data"), 3, false);
    rds("processlist_seconds", Map.of("command", "query", "state", "sending_data"), 17, false);
    rds("sessions_by_user", Map.of("user", "app"), 5, false);
    rds("scrape_errors", Map.of("collector", "innodb"), 0, true);
    List<MetricFamilySamples> all = new ArrayList<>(families.values());
    all.addAll(MysqldExporterNames.of(all));
    StringWriter out = new StringWriter();
    TextFormat.write004(out, Collections.enumeration(all));
    return out.toString();
  }

  @Test
  void eachRdsSeriesUnderTheExportersNameAndUnit() throws Exception {
    String text = fleetOfOne();
    String id = "instance_id=\"re-1\",instance_name=\"orders\",engine=\"external\",aliyun_uid=\"\",role=\"master\"";
    // the expected lines: the exporter's name, the rds labels, the value in the exporter's unit
    for (String line : new String[] {
        "mysql_up{" + id + ",} 1.0",
        "mysql_global_status_uptime{" + id + ",} 3600.0",
        "mysql_global_status_threads_connected{" + id + ",} 7.0",
        "mysql_global_status_questions{" + id + ",} 1234.0",
        "mysql_global_status_commands_total{" + id + ",command=\"select\",} 99.0",
        "mysql_global_status_connection_errors_total{" + id + ",error=\"max_connections\",} 2.0",
        "mysql_global_status_buffer_pool_pages{" + id + ",state=\"free\",} 500.0",
        "mysql_global_status_buffer_pool_dirty_pages{" + id + ",} 12.0",
        "mysql_global_variables_max_connections{" + id + ",} 151.0",
        "mysql_version_info{" + id + ",version=\"10.11.19-MariaDB\",} 1.0",
        "mysql_slave_status_slave_io_running{" + id + ",} 1.0",
        "mysql_slave_status_slave_sql_running{" + id + ",} 0.0",
        "mysql_slave_status_seconds_behind_master{" + id + ",} 4.0",
        "mysql_slave_status_sql_delay{" + id + ",} 0.0",
        "mysql_info_schema_processlist_threads{" + id + ",command=\"query\",state=\"sending_data\",} 3.0",
        "mysql_info_schema_processlist_seconds{" + id + ",command=\"query\",state=\"sending_data\",} 17.0"}) {
      assertThat(text).as(line).containsPattern("(?m)^" + java.util.regex.Pattern.quote(line) + "$");
    }
    // row-lock time: seconds in rds_, milliseconds in the exporter's name
    assertThat(text).containsPattern("(?m)^mysql_global_status_innodb_row_lock_time\\{" + java.util.regex.Pattern.quote(id)
        + ",\\} 1500\\.0$");
    assertThat(text).contains("# TYPE mysql_global_status_commands_total counter", "# TYPE mysql_global_status_questions untyped",
        "# TYPE mysql_up gauge");
    // what the exporter has no name for stays rds_ only; the rds_ series are all still there
    assertThat(text).doesNotContain("mysql_sessions").doesNotContain("mysql_max_connections").doesNotContain("mysql_scrape");
    assertThat(text).contains("rds_sessions_by_user{", "rds_up{", "rds_commands_total{");
    Promtool.assertAccepts(text, dir);
  }
}

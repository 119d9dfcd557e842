package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.codahale.metrics.MetricRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The collector runs its sources in order over one connection; one failing fails alone and is recorded
 * {@code rdsflow.collector.success.<source>} 0, with each source's duration timer.
 */
class JdbcCollectorTest {

  private static Target target(TestServer server, String user) {
    return new Target("t1", "local", "ins-1", "one", "mariadb", null, "primary", server.host(), server.port(), user,
        "ciphertext-" + user, Map.of(), null, null, null);
  }

  @Test
  void aSourceWithoutItsPrivilegeFailsAloneAndIsRecordedFailed() throws Exception {
    MetricRegistry metrics = new MetricRegistry();
    try (TestServer server = new TestServer(); JdbcCollector collector = new JdbcCollector(3000, 5)) {
      // neither PROCESS nor SLAVE MONITOR: its own sessions only, INNODB_METRICS and SHOW SLAVE STATUS refused (1227)
      String user = server.user();
      JdbcCollector.Result r = collector.collect(target(server, user), user, null, List.of(), Long.MAX_VALUE);
      CollectorMetrics.record(metrics, r.sources());

      assertThat(r.sources()).extracting(JdbcSource.Outcome::source, JdbcSource.Outcome::success)
          .containsExactly(tuple("processlist", false), tuple("global_status", true), tuple("global_variables", true),
              tuple("slave_status", false), tuple("innodb", false));
      assertThat(r.sources().get(0).error()).isEqualTo(ProcesslistSource.NO_PROCESS);
      assertThat(r.sources().get(3).error()).containsIgnoringCase("denied");
      assertThat(r.sources().get(4).error()).containsIgnoringCase("denied").contains("PROCESS");
      assertThat(r.samples()).extracting(Sample::metric).contains("sessions", "session_max_active_seconds", "threads_connected",
          "questions", "max_connections").doesNotContain("replication_running", "replication_lag_seconds",
          "innodb_history_list_length");
      assertThat(r.customErrors()).isEmpty();
      assertThat(success(metrics)).isEqualTo(Map.of("processlist", 0, "global_status", 1, "global_variables", 1,
          "slave_status", 0, "innodb", 0));
      assertThat(metrics.getTimers().keySet()).containsExactlyInAnyOrder("rdsflow.collector.duration.processlist",
          "rdsflow.collector.duration.global_status", "rdsflow.collector.duration.global_variables",
          "rdsflow.collector.duration.slave_status", "rdsflow.collector.duration.innodb");
      metrics.getTimers().values().forEach(t -> assertThat(t.getCount()).isEqualTo(1));

      // the privileges granted, the next scrape of each source succeeds: the gauge is the last scrape's
      String monitor = server.user("SLAVE MONITOR, PROCESS ON *.*");
      JdbcCollector.Result granted = collector.collect(target(server, monitor), monitor, null, List.of(), Long.MAX_VALUE);
      CollectorMetrics.record(metrics, granted.sources());
      assertThat(success(metrics)).containsOnly(entry("processlist", 1), entry("global_status", 1),
          entry("global_variables", 1), entry("slave_status", 1), entry("innodb", 1));
      assertThat(granted.samples()).extracting(Sample::metric).contains("innodb_history_list_length");
      metrics.getTimers().values().forEach(t -> assertThat(t.getCount()).isEqualTo(2));
    }
  }

  @Test
  void aCollectorSwitchedOffIsNotRun() throws Exception {
    try (TestServer server = new TestServer(); JdbcCollector collector = new JdbcCollector(3000, 5)) {
      String user = server.user("SLAVE MONITOR, PROCESS ON *.*");
      Target t = target(server, user);
      Target off = new Target(t.id(), t.group(), t.instanceId(), t.instanceName(), t.engine(), t.aliyunUid(), t.role(),
          t.host(), t.port(), t.user(), t.encryptedPassword(), t.labels(), t.cloudId(), null, null,
          java.util.Set.of("processlist", "innodb"), Map.of());
      JdbcCollector.Result r = collector.collect(off, user, null, List.of(), Long.MAX_VALUE);
      assertThat(r.sources()).extracting(JdbcSource.Outcome::source)
          .containsExactly("global_status", "global_variables", "slave_status");
      assertThat(r.samples()).extracting(Sample::metric).contains("threads_connected")
          .doesNotContain("sessions", "processlist_threads", "innodb_history_list_length");
    }
  }

  @Test
  void sourcesRunInOrderOverOneConnectionPastOneThatThrows() throws Exception {
    List<Long> seen = new ArrayList<>();
    JdbcSource first = source("first", c -> {
      seen.add(ProcesslistSourceTest.connectionId(c));
      return List.of(Sample.gauge("first", 1));
    });
    JdbcSource broken = source("broken", c -> {
      throw new IllegalStateException("unparseable");
    });
    JdbcSource last = source("last", c -> {
      seen.add(ProcesslistSourceTest.connectionId(c));
      return List.of(Sample.gauge("last", 2));
    });
    try (TestServer server = new TestServer();
        JdbcCollector collector = new JdbcCollector(3000, 5, List.of(first, broken, last))) {
      String user = server.user();
      JdbcCollector.Result r = collector.collect(target(server, user), user, null, List.of(), Long.MAX_VALUE);
      assertThat(r.samples()).containsExactly(Sample.gauge("first", 1), Sample.gauge("last", 2));
      assertThat(r.sources()).extracting(JdbcSource.Outcome::source).containsExactly("first", "broken", "last");
      assertThat(r.sources()).extracting(JdbcSource.Outcome::success).containsExactly(true, false, true);
      assertThat(r.sources().get(1).error()).isEqualTo("unparseable");
      assertThat(seen).hasSize(2);
      assertThat(seen.get(0)).isEqualTo(seen.get(1));
    }
  }

  @Test
  void everySourceFailingFailsTheTarget() throws Exception {
    JdbcSource a = source("a", c -> {
      throw new SQLException("a is gone", "08S01", 2013);
    });
    JdbcSource b = source("b", c -> {
      throw new SQLException("b is gone");
    });
    try (TestServer server = new TestServer(); JdbcCollector collector = new JdbcCollector(3000, 5, List.of(a, b))) {
      String user = server.user();
      assertThatThrownBy(() -> collector.collect(target(server, user), user, null, List.of(), Long.MAX_VALUE))
          .isInstanceOf(SQLException.class).hasMessage("a is gone");
    }
  }

  private static Map<String, Integer> success(MetricRegistry metrics) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    metrics.getGauges().forEach((name, g) -> out.put(name.substring("rdsflow.collector.success.".length()), (Integer) g.getValue()));
    return out;
  }

  interface Scrape {
    List<Sample> apply(Connection c) throws Exception;
  }

  private static JdbcSource source(String name, Scrape scrape) {
    return new JdbcSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException {
        try {
          return scrape.apply(c);
        } catch (SQLException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new SQLException(e);
        }
      }
    };
  }
}

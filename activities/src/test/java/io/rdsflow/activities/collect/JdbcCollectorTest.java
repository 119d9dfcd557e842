package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
      String user = server.user(); // no SLAVE MONITOR: SHOW SLAVE STATUS is refused (1227)
      JdbcCollector.Result r = collector.collect(target(server, user), user, null, List.of(), Long.MAX_VALUE);
      CollectorMetrics.record(metrics, r.sources());

      assertThat(r.sources()).extracting(JdbcSource.Outcome::source, JdbcSource.Outcome::success)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("info_schema.processlist", true),
              org.assertj.core.groups.Tuple.tuple("global_status", true),
              org.assertj.core.groups.Tuple.tuple("slave_status", false));
      assertThat(r.sources().get(2).error()).containsIgnoringCase("denied");
      assertThat(r.samples()).extracting(Sample::metric).contains("sessions", "session_max_active_seconds", "threads_connected",
          "questions").doesNotContain("replication_running", "replication_lag_seconds");
      assertThat(r.customErrors()).isEmpty();
      assertThat(success(metrics)).isEqualTo(Map.of("info_schema%2Eprocesslist", 1, "global_status", 1, "slave_status", 0));
      assertThat(metrics.getTimers().keySet()).containsExactlyInAnyOrder("rdsflow.collector.duration.info_schema%2Eprocesslist",
          "rdsflow.collector.duration.global_status", "rdsflow.collector.duration.slave_status");
      metrics.getTimers().values().forEach(t -> assertThat(t.getCount()).isEqualTo(1));

      // the privilege granted, the next scrape of the source succeeds: the gauge is the last scrape's
      String monitor = server.user("SLAVE MONITOR ON *.*");
      CollectorMetrics.record(metrics, collector.collect(target(server, monitor), monitor, null, List.of(), Long.MAX_VALUE)
          .sources());
      assertThat(success(metrics)).containsEntry("slave_status", 1);
      metrics.getTimers().values().forEach(t -> assertThat(t.getCount()).isEqualTo(2));
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

package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The process list source against a real server. The account has no PROCESS privilege, so it sees its
 * own sessions only and the expected table is exact whatever else the server runs; the source says the
 * list is partial ({@link JdbcSource.Incomplete}) with its samples.
 */
class ProcesslistSourceTest {

  @Test
  void sessionsByUserClientAndDatabaseAndTheLongestActive() throws Exception {
    try (TestServer server = new TestServer()) {
      String user = server.user();
      for (int i = 0; i < 3; i++) {
        server.as(user); // 3 sessions sleeping in the test database
      }
      Connection busy = server.as(user);
      long busyId = connectionId(busy);
      CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
        try (Statement s = busy.createStatement()) {
          s.executeQuery("SELECT SLEEP(30)").close();
        } catch (Exception e) {
          // killed at the end of the test
        }
      });
      Connection root = server.root();
      awaitRunning(root, busyId);
      Connection monitor = server.as(user); // the scraping session: excluded from what it counts
      try {
        List<Sample> samples;
        try {
          new ProcesslistSource().scrape(monitor, 5);
          throw new AssertionError("an account without PROCESS sees its own sessions only: the source must say so");
        } catch (JdbcSource.Incomplete e) {
          assertThat(e.getMessage()).isEqualTo(ProcesslistSource.NO_PROCESS);
          samples = e.samples();
        }

        // the table of what 3 sleeping sessions and 1 running query of one account over TCP from 127.0.0.1 give
        record Expected(String metric, String label, String value, double count) {}
        List<Expected> expected = List.of(
            new Expected("sessions", "state", "total", 4),
            new Expected("sessions", "state", "active", 1),
            new Expected("sessions_by_user", "user", user, 4),
            new Expected("sessions_by_client", "client", "127.0.0.1", 4),
            new Expected("sessions_by_db", "db", TestServer.DATABASE, 4));
        for (Expected e : expected) {
          Sample s = TestServer.find(samples, e.metric(), Map.of(e.label(), e.value()));
          assertThat(s).as(e.toString()).isNotNull();
          assertThat(s.value()).as(e.toString()).isEqualTo(e.count());
          assertThat(s.counter()).isFalse();
        }
        Sample longest = TestServer.find(samples, "session_max_active_seconds", Map.of());
        assertThat(longest).isNotNull();
        assertThat(longest.value()).isBetween(0.0, 30.0);
        // by command and state, as mysqld_exporter labels them: 3 idle, 1 in SLEEP(30)
        Map<String, String> idle = Map.of("command", "sleep", "state", "unknown");
        Map<String, String> query = Map.of("command", "query", "state", "user_sleep");
        assertThat(TestServer.find(samples, "processlist_threads", idle).value()).isEqualTo(3);
        assertThat(TestServer.find(samples, "processlist_threads", query).value()).isEqualTo(1);
        assertThat(TestServer.find(samples, "processlist_seconds", query).value()).isBetween(0.0, 30.0);
        assertThat(TestServer.find(samples, "processlist_seconds", idle).value()).isGreaterThanOrEqualTo(0);
        assertThat(samples).extracting(Sample::metric).containsExactly("sessions", "sessions", "sessions_by_user",
            "sessions_by_client", "sessions_by_db", "session_max_active_seconds", "processlist_threads",
            "processlist_seconds", "processlist_threads", "processlist_seconds");
        assertThat(new ProcesslistSource().name()).isEqualTo("processlist");
      } finally {
        try (Statement s = root.createStatement()) {
          s.execute("KILL QUERY " + busyId);
        }
        sleeping.join();
      }
    }
  }

  @Test
  void anAccountWithProcessSeesEveryoneAndIsComplete() throws Exception {
    try (TestServer server = new TestServer()) {
      String other = server.user();
      server.as(other); // another account's session, which only PROCESS shows
      Connection monitor = server.as(server.user("PROCESS ON *.*"));
      List<Sample> samples = new ProcesslistSource().scrape(monitor, 5);
      assertThat(TestServer.find(samples, "sessions_by_user", Map.of("user", other)).value()).isEqualTo(1);
    }
  }

  @Test
  void statesAsMysqldExporterWritesThem() {
    assertThat(SessionStats.state("Waiting for table metadata lock")).isEqualTo("waiting_for_table_metadata_lock");
    assertThat(SessionStats.state("Sending data (to client)")).isEqualTo("sending_data_to_client");
    assertThat(SessionStats.state("")).isEqualTo("unknown");
    assertThat(SessionStats.command("Binlog Dump")).isEqualTo("binlog dump");
  }

  static long connectionId(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void awaitRunning(Connection root, long id) throws Exception {
    long until = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < until) {
      try (Statement s = root.createStatement();
          ResultSet rs = s.executeQuery("SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = " + id)) {
        if (rs.next() && "Query".equals(rs.getString(1))) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("session " + id + " never ran its query");
  }
}

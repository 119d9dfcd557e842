package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The global status source against a real server: which variables, gauge or counter, labels, plausible values. */
class GlobalStatusSourceTest {

  @Test
  void statusVariablesAsGaugesAndCounters() throws Exception {
    try (TestServer server = new TestServer()) {
      Connection monitor = server.as(server.user()); // no privilege needed: global status is anyone's
      List<Sample> first = new GlobalStatusSource().scrape(monitor, 5);

      // metric -> counter? (the table of the unlabelled series the source keeps)
      Map<String, Boolean> plain = Map.ofEntries(Map.entry("threads_connected", false), Map.entry("threads_running", false),
          Map.entry("questions", true), Map.entry("slow_queries", true), Map.entry("uptime_seconds", false),
          Map.entry("aborted_clients", true), Map.entry("aborted_connects", true),
          Map.entry("innodb_buffer_pool_read_requests", true), Map.entry("innodb_buffer_pool_reads", true),
          Map.entry("innodb_row_lock_waits", true), Map.entry("innodb_row_lock_time_seconds", true));
      // metric -> label -> counter? (the labelled ones)
      Map<String, String> labelled = Map.of("commands", "command", "connection_errors", "error",
          "innodb_buffer_pool_pages", "state");
      for (Sample s : first) {
        assertThat(s.value()).as(s.toString()).isGreaterThanOrEqualTo(0);
        if (plain.containsKey(s.metric())) {
          assertThat(s.counter()).as(s.metric()).isEqualTo(plain.get(s.metric()));
          assertThat(s.labels()).isEmpty();
        } else {
          assertThat(labelled).as(s.toString()).containsKey(s.metric());
          assertThat(s.labels().keySet()).containsExactly(labelled.get(s.metric()));
          assertThat(s.counter()).isEqualTo(!s.metric().equals("innodb_buffer_pool_pages"));
        }
      }
      assertThat(first.stream().map(Sample::metric).collect(Collectors.toSet()))
          .containsAll(plain.keySet()).containsAll(labelled.keySet());
      assertThat(values(first, "innodb_buffer_pool_pages", "state")).containsOnlyKeys("data", "free", "dirty", "total");
      assertThat(values(first, "connection_errors", "error")).containsKeys("max_connections", "accept", "internal");
      // the core commands are there at zero; any other only once used
      Map<String, Double> commands = values(first, "commands", "command");
      assertThat(commands).containsKeys(GlobalStatusSource.COMMANDS.toArray(String[]::new));
      commands.forEach((c, v) -> assertThat(GlobalStatusSource.COMMANDS.contains(c) || v > 0).as(c).isTrue());
      assertThat(TestServer.find(first, "threads_connected", Map.of()).value()).isGreaterThanOrEqualTo(1); // this session
      assertThat(TestServer.find(first, "threads_running", Map.of()).value()).isGreaterThanOrEqualTo(1);
      assertThat(TestServer.find(first, "uptime_seconds", Map.of()).value()).isGreaterThanOrEqualTo(1);

      try (Statement s = monitor.createStatement()) {
        s.executeQuery("SELECT 1").close();
      }
      List<Sample> second = new GlobalStatusSource().scrape(monitor, 5);
      assertThat(TestServer.find(second, "questions", Map.of()).value())
          .isGreaterThan(TestServer.find(first, "questions", Map.of()).value()); // the first scrape was one
      assertThat(values(second, "commands", "command").get("select")).isGreaterThan(commands.get("select"));
      assertThat(values(second, "commands", "command")).containsKey("show_status"); // the scrape itself
      assertThat(new GlobalStatusSource().name()).isEqualTo("global_status");
    }
  }

  private static Map<String, Double> values(List<Sample> samples, String metric, String label) {
    return samples.stream().filter(s -> s.metric().equals(metric))
        .collect(Collectors.toMap(s -> s.labels().get(label), Sample::value));
  }
}

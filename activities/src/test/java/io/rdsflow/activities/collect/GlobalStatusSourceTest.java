package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The global status source against a real server: which variables, gauge or counter, plausible values. */
class GlobalStatusSourceTest {

  @Test
  void threadsAsGaugesQuestionsAndSlowQueriesAsCounters() throws Exception {
    try (TestServer server = new TestServer()) {
      Connection monitor = server.as(server.user()); // no privilege needed: global status is anyone's
      List<Sample> first = new GlobalStatusSource().scrape(monitor, 5);

      // metric -> counter? (the table of SHOW GLOBAL STATUS variables the source keeps)
      Map<String, Boolean> expected = Map.of("threads_connected", false, "threads_running", false, "questions", true,
          "slow_queries", true);
      assertThat(first).hasSize(expected.size());
      for (Sample s : first) {
        assertThat(expected).as(s.metric()).containsEntry(s.metric(), s.counter());
        assertThat(s.labels()).isEmpty();
        assertThat(s.value()).as(s.metric()).isGreaterThanOrEqualTo(0);
      }
      assertThat(TestServer.find(first, "threads_connected", Map.of()).value()).isGreaterThanOrEqualTo(1); // this session
      assertThat(TestServer.find(first, "threads_running", Map.of()).value()).isGreaterThanOrEqualTo(1);

      List<Sample> second = new GlobalStatusSource().scrape(monitor, 5);
      assertThat(TestServer.find(second, "questions", Map.of()).value())
          .isGreaterThan(TestServer.find(first, "questions", Map.of()).value()); // the first scrape was one
      assertThat(new GlobalStatusSource().name()).isEqualTo("global_status");
    }
  }
}

package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The global variables source against a real server: the short list as numbers, max_connections, the version. */
class GlobalVariablesSourceTest {

  @Test
  void theShortListTheLimitAndTheVersion() throws Exception {
    try (TestServer server = new TestServer()) {
      Connection monitor = server.as(server.user()); // no privilege needed
      List<Sample> samples = new GlobalVariablesSource().scrape(monitor, 5);

      Map<String, String> actual = new java.util.HashMap<>();
      try (Statement s = server.root().createStatement(); ResultSet rs = s.executeQuery("SELECT @@max_connections, "
          + "@@innodb_buffer_pool_size, @@read_only, @@long_query_time, @@version")) {
        rs.next();
        actual.put("max_connections", rs.getString(1));
        actual.put("innodb_buffer_pool_size", rs.getString(2));
        actual.put("read_only", rs.getString(3));
        actual.put("long_query_time", rs.getString(4));
        actual.put("version", rs.getString(5));
      }
      for (String v : GlobalVariablesSource.VARIABLES) { // every one of the list is numeric (ON/OFF as 1/0) on MariaDB
        Sample s = TestServer.find(samples, "global_variable", Map.of("variable", v));
        assertThat(s).as(v).isNotNull();
        assertThat(s.counter()).isFalse();
      }
      for (String v : List.of("max_connections", "innodb_buffer_pool_size", "read_only", "long_query_time")) {
        assertThat(TestServer.find(samples, "global_variable", Map.of("variable", v)).value()).as(v)
            .isEqualTo(Double.parseDouble(actual.get(v)));
      }
      assertThat(TestServer.find(samples, "max_connections", Map.of()).value())
          .isEqualTo(Double.parseDouble(actual.get("max_connections")));
      assertThat(TestServer.find(samples, "version_info", Map.of("version", actual.get("version"))).value()).isEqualTo(1);
      assertThat(samples).hasSize(GlobalVariablesSource.VARIABLES.size() + 2);
      assertThat(new GlobalVariablesSource().name()).isEqualTo("global_variables");
    }
  }

  @Test
  void onOffAsOneZeroAndWordsLeftOut() {
    assertThat(GlobalVariablesSource.number("ON")).isEqualTo(1.0);
    assertThat(GlobalVariablesSource.number("OFF")).isEqualTo(0.0);
    assertThat(GlobalVariablesSource.number("10.000000")).isEqualTo(10.0);
    assertThat(GlobalVariablesSource.number("mixed")).isNull();
  }
}

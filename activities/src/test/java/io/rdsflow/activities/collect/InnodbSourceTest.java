package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The InnoDB history list length against a real server; refused, and said so, without PROCESS. */
class InnodbSourceTest {

  @Test
  void theHistoryListLengthWithProcess() throws Exception {
    try (TestServer server = new TestServer()) {
      Connection monitor = server.as(server.user("PROCESS ON *.*"));
      List<Sample> samples = new InnodbSource().scrape(monitor, 5);
      double expected;
      try (Statement s = server.root().createStatement(); ResultSet rs = s.executeQuery(
          "SELECT COUNT FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'")) {
        rs.next();
        expected = rs.getDouble(1);
      }
      assertThat(samples).hasSize(1);
      Sample s = TestServer.find(samples, "innodb_history_list_length", Map.of());
      assertThat(s.counter()).isFalse();
      assertThat(s.value()).isGreaterThanOrEqualTo(0).isCloseTo(expected, org.assertj.core.data.Offset.offset(1000.0));
      assertThat(new InnodbSource().name()).isEqualTo("innodb");
    }
  }

  @Test
  void anAccountWithoutProcessFails() throws Exception {
    try (TestServer server = new TestServer()) {
      Connection monitor = server.as(server.user());
      assertThatThrownBy(() -> new InnodbSource().scrape(monitor, 5)).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1227));
    }
  }
}

package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The replica status source against a real server that replicates from nowhere. */
class SlaveStatusSourceTest {

  @Test
  void aPrimaryGivesNoReplicationSeries() throws Exception {
    try (TestServer server = new TestServer()) {
      String user = server.user("SLAVE MONITOR ON *.*");
      assertThat(new SlaveStatusSource().scrape(server.as(user), 5)).isEmpty();
      assertThat(new SlaveStatusSource().name()).isEqualTo("slave_status");
    }
  }

  @Test
  void anAccountWithoutSlaveMonitorFails() throws Exception {
    try (TestServer server = new TestServer()) {
      String user = server.user();
      assertThatThrownBy(() -> new SlaveStatusSource().scrape(server.as(user), 5)).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1227));
    }
  }
}

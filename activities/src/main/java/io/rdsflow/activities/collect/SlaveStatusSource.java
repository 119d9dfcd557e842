package io.rdsflow.activities.collect;

import io.rdsflow.activities.local.Replication;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code SHOW SLAVE STATUS} (mysqld_exporter's {@code slave_status}), read and parsed by
 * {@link Replication#status} as the host engine does: the IO and SQL threads running and the lag, on
 * a replica; nothing on a primary. An account without SLAVE MONITOR / REPLICATION CLIENT gets error
 * 1227: the source fails (success 0), and no replication series comes out, as before the split.
 */
final class SlaveStatusSource implements JdbcSource {
  @Override
  public String name() {
    return "slave_status";
  }

  @Override
  public List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException {
    Optional<Replication.Status> status = Replication.status(c);
    if (status.isEmpty()) {
      return List.of();
    }
    List<Sample> out = new ArrayList<>();
    out.add(Sample.gauge("replication_running", "thread", "io", status.get().ioRunning() ? 1 : 0));
    out.add(Sample.gauge("replication_running", "thread", "sql", status.get().sqlRunning() ? 1 : 0));
    if (status.get().lagSeconds() != null) {
      out.add(Sample.gauge("replication_lag_seconds", status.get().lagSeconds()));
    }
    // the delay a replica is configured to keep (MASTER_DELAY): lag up to it is intended (mysqld-mixin subtracts it)
    out.add(Sample.gauge("replication_sql_delay_seconds", status.get().sqlDelaySeconds()));
    return out;
  }
}

package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The InnoDB history list length from {@code information_schema.INNODB_METRICS} (mysqld_exporter's
 * {@code info_schema.innodb_metrics}, counter {@code trx_rseg_history_len}, enabled by default on MySQL
 * and MariaDB): undo not yet purged, the sign of a transaction left open. The table needs PROCESS; an
 * account without it gets error 1227 and the source fails, reported.
 */
final class InnodbSource implements JdbcSource {
  static final String QUERY = "SELECT COUNT FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'";

  @Override
  public String name() {
    return Collectors.INNODB;
  }

  @Override
  public List<Sample> scrape(Connection c, int queryTimeoutSeconds) throws SQLException {
    try (Statement s = JdbcSource.statement(c, queryTimeoutSeconds); ResultSet rs = s.executeQuery(QUERY)) {
      if (!rs.next()) {
        throw new SQLException("information_schema.INNODB_METRICS has no trx_rseg_history_len (no InnoDB?)");
      }
      return List.of(Sample.gauge("innodb_history_list_length", rs.getDouble(1)));
    }
  }
}

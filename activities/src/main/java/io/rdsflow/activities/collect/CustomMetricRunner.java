package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one custom metric in a read-only transaction, with a row cap and the target's timeout. */
public final class CustomMetricRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CustomMetricRunner.class);

  /** A custom metric that returned more rows than its cap; the extra rows were dropped. */
  public static final String TRUNCATED = "custom_truncated";

  private CustomMetricRunner() {}

  public static List<Sample> run(Connection c, CustomMetric m, int timeoutSeconds) throws SQLException {
    List<Sample> out = new ArrayList<>();
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("START TRANSACTION READ ONLY");
      s.setQueryTimeout(timeoutSeconds);
      s.setMaxRows(m.maxRows() + 1);
      int rows = 0;
      try (ResultSet rs = s.executeQuery(m.sql())) {
        while (rs.next()) {
          if (++rows > m.maxRows()) {
            LOG.warn("custom metric {} returned more than {} rows; the rest were dropped", m.name(), m.maxRows());
            out.add(new Sample(TRUNCATED, Map.of("metric", m.name()), 1, false));
            break;
          }
          Map<String, String> labels = new LinkedHashMap<>();
          for (String col : m.labelColumns()) {
            String v = rs.getString(col);
            labels.put(col, v == null ? "" : v);
          }
          double value = rs.getDouble(m.valueColumn());
          if (!rs.wasNull()) {
            out.add(new Sample("custom_" + m.name(), labels, value, false));
          }
        }
      }
    } catch (SQLException e) {
      throw new SQLException("custom metric " + m.name() + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
    } finally {
      c.rollback();
      c.setAutoCommit(autoCommit);
    }
    return out;
  }
}

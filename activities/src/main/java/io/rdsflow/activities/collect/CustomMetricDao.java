package io.rdsflow.activities.collect;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rdsflow.activities.meta.Json;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@code custom_metrics}: the user-defined SQL metrics. */
public final class CustomMetricDao {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CustomMetricDao.class);
  private final Jdbi jdbi;

  public CustomMetricDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** @return false when a metric of that name exists */
  public boolean insert(CustomMetric m) {
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO custom_metrics(name, sql_text, value_column, label_columns, selector_json, "
              + "interval_seconds, max_rows, help) VALUES (:n, :s, :v, :l, :sel, :i, :r, :h)")
          .bind("n", m.name()).bind("s", m.sql()).bind("v", m.valueColumn()).bind("l", Json.write(m.labelColumns()))
          .bind("sel", Json.write(m.selector())).bind("i", m.intervalSeconds()).bind("r", m.maxRows()).bind("h", m.help())
          .execute());
      return true;
    } catch (UnableToExecuteStatementException e) {
      if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
        return false;
      }
      throw e;
    }
  }

  /** Every metric; a row that cannot be read (stored by an older version) is left out with a warning, alone. */
  public List<CustomMetric> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT name, sql_text, value_column, label_columns, selector_json, "
            + "interval_seconds, max_rows, help FROM custom_metrics ORDER BY name")
        .map((rs, ctx) -> {
          try {
            List<String> labels = Json.read(rs.getString(4), new TypeReference<List<String>>() {});
            Map<String, String> selector = Json.read(rs.getString(5), new TypeReference<Map<String, String>>() {});
            return new CustomMetric(rs.getString(1), rs.getString(2), rs.getString(3), labels == null ? List.of() : labels,
                selector == null ? Map.of() : selector, rs.getInt(6), rs.getInt(7), rs.getString(8));
          } catch (RuntimeException e) {
            LOG.warn("custom metric {} cannot be read and is left out: {}", rs.getString(1), e.toString());
            return null;
          }
        })
        .list().stream().filter(java.util.Objects::nonNull).toList());
  }

  public boolean delete(String name) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM custom_metrics WHERE name = :n").bind("n", name).execute()) == 1;
  }
}

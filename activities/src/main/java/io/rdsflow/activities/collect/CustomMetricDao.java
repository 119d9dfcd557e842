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

  public List<CustomMetric> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT name, sql_text, value_column, label_columns, selector_json, "
            + "interval_seconds, max_rows, help FROM custom_metrics ORDER BY name")
        .map((rs, ctx) -> new CustomMetric(rs.getString(1), rs.getString(2), rs.getString(3),
            Json.read(rs.getString(4), new TypeReference<List<String>>() {}),
            Json.read(rs.getString(5), new TypeReference<Map<String, String>>() {}), rs.getInt(6), rs.getInt(7),
            rs.getString(8)))
        .list());
  }

  public boolean delete(String name) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM custom_metrics WHERE name = :n").bind("n", name).execute()) == 1;
  }
}

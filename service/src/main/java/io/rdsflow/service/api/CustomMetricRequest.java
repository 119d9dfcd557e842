package io.rdsflow.service.api;

import io.rdsflow.activities.collect.CustomMetric;
import io.rdsflow.activities.collect.CustomSql;
import io.rdsflow.service.errors.ApiException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code POST /v1/custom-metrics}: a SQL metric published as {@code rds_custom_<name>}. */
public record CustomMetricRequest(String name, String sql, String valueColumn, List<String> labelColumns,
    Map<String, String> selector, Integer intervalSeconds, Integer maxRows, String help) {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  public CustomMetric validate() {
    Fields.matches("name", name, NAME, "1 to 63 lowercase letters, digits or '_', starting with a letter");
    Fields.required("sql", sql);
    String problem = CustomSql.problem(sql);
    if (problem != null) {
      throw ApiException.invalid("sql", problem);
    }
    Fields.matches("valueColumn", valueColumn, COLUMN, "a column name");
    List<String> labels = labelColumns == null ? List.of() : labelColumns;
    for (int i = 0; i < labels.size(); i++) {
      Fields.matches("labelColumns[" + i + "]", labels.get(i), COLUMN, "a column name");
    }
    int interval = intervalSeconds == null ? 60 : intervalSeconds;
    if (interval < 1 || interval > 86_400) {
      throw ApiException.invalid("intervalSeconds", "must be between 1 and 86400");
    }
    int cap = maxRows == null ? 100 : maxRows;
    if (cap < 1 || cap > 10_000) {
      throw ApiException.invalid("maxRows", "must be between 1 and 10000");
    }
    Fields.optionalMax("help", help, 255);
    return new CustomMetric(name, sql, valueColumn, labels, selector == null ? Map.of() : selector, interval, cap, help);
  }
}

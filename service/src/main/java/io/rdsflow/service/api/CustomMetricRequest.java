package io.rdsflow.service.api;

import io.rdsflow.activities.collect.CustomMetric;
import io.rdsflow.activities.collect.CustomSql;
import io.rdsflow.service.errors.ApiException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/custom-metrics}: a SQL metric published as {@code rds_custom_<name>}. Every size is
 * bounded here (422 naming the field) so nothing reaches the parser or the metadata columns too big.
 */
public record CustomMetricRequest(String name, String sql, String valueColumn, List<String> labelColumns,
    Map<String, String> selector, Integer intervalSeconds, Integer maxRows, String help) {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  static final Pattern SELECTOR_KEY = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,62}");
  public static final int MAX_LABEL_COLUMNS = 10;
  public static final int MAX_SELECTOR_ENTRIES = 20;
  public static final int MAX_SELECTOR_VALUE = 128;
  /** Label names every series carries already (DESIGN §7) or that custom_errors/custom_truncated use. */
  static final Set<String> RESERVED_LABELS = Set.of("instance_id", "instance_name", "engine", "aliyun_uid", "role", "metric",
      "le", "quantile");

  public CustomMetric validate() {
    Fields.matches("name", name, NAME, "1 to 63 lowercase letters, digits or '_', starting with a letter");
    Fields.required("sql", sql);
    String problem = CustomSql.problem(sql);
    if (problem != null) {
      throw ApiException.invalid("sql", problem);
    }
    Fields.matches("valueColumn", valueColumn, COLUMN, "a column name");
    List<String> labels = labelColumns == null ? List.of() : labelColumns;
    if (labels.size() > MAX_LABEL_COLUMNS) {
      throw ApiException.invalid("labelColumns", "at most " + MAX_LABEL_COLUMNS + " label columns");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < labels.size(); i++) {
      String field = "labelColumns[" + i + "]";
      Fields.matches(field, labels.get(i), COLUMN, "a column name of at most 64 characters");
      if (RESERVED_LABELS.contains(labels.get(i)) || labels.get(i).startsWith("__")) {
        throw ApiException.invalid(field, labels.get(i) + " is a label every series carries already; use another alias");
      }
      if (!seen.add(labels.get(i))) {
        throw ApiException.invalid(field, labels.get(i) + " is listed twice");
      }
    }
    Map<String, String> sel = selector == null ? Map.of() : selector;
    if (sel.size() > MAX_SELECTOR_ENTRIES) {
      throw ApiException.invalid("selector", "at most " + MAX_SELECTOR_ENTRIES + " entries");
    }
    Map<String, String> checked = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : sel.entrySet()) {
      if (e.getKey() == null || !SELECTOR_KEY.matcher(e.getKey()).matches()) {
        throw ApiException.invalid("selector." + e.getKey(), "label names are letters, digits and '_' (at most 63), "
            + "starting with a letter or '_'");
      }
      if (e.getValue() == null) {
        throw ApiException.invalid("selector." + e.getKey(), "must be a string (instance label values are never null)");
      }
      Fields.optionalMax("selector." + e.getKey(), e.getValue(), MAX_SELECTOR_VALUE);
      checked.put(e.getKey(), e.getValue());
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
    return new CustomMetric(name, sql, valueColumn, labels, checked, interval, cap, help);
  }
}

package io.rdsflow.activities.collect;

import java.util.List;
import java.util.Map;

/**
 * A user-defined SQL metric (seed 001 M5): one read-only SELECT whose rows become series of
 * {@code rds_custom_<name>}, the value from {@code valueColumn}, labels from {@code labelColumns},
 * on the instances whose labels contain every pair of {@code selector}.
 */
public record CustomMetric(String name, String sql, String valueColumn, List<String> labelColumns,
    Map<String, String> selector, int intervalSeconds, int maxRows, String help) {

  public boolean appliesTo(Target t) {
    return !t.viaDas() && selector.entrySet().stream().allMatch(e -> e.getValue().equals(t.labels().get(e.getKey())));
  }
}

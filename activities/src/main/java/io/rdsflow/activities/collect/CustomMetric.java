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

  /** A null or missing selector value never matches (the API refuses them; rows stored before may hold them). */
  public boolean appliesTo(Target t) {
    if (t.viaDas()) {
      return false;
    }
    if (selector == null) {
      return true;
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (e.getKey() == null || e.getValue() == null || t.labels() == null || !e.getValue().equals(t.labels().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}

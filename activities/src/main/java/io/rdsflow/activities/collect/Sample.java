package io.rdsflow.activities.collect;

import java.util.Map;

/**
 * One collected value: the metric without its {@code rds_} prefix (e.g. {@code sessions_by_user}),
 * its own labels beyond the target's identity, the value, and whether it is a monotonic counter.
 */
public record Sample(String metric, Map<String, String> labels, double value, boolean counter) {
  public static Sample gauge(String metric, double value) {
    return new Sample(metric, Map.of(), value, false);
  }

  public static Sample gauge(String metric, String label, String labelValue, double value) {
    return new Sample(metric, Map.of(label, labelValue), value, false);
  }

  public static Sample counter(String metric, String label, String labelValue, double value) {
    return new Sample(metric, Map.of(label, labelValue), value, true);
  }

  public static Sample counter(String metric, double value) {
    return new Sample(metric, Map.of(), value, true);
  }
}

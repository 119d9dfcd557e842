package io.rdsflow.activities.metrics;

import java.util.Map;
import java.util.StringJoiner;

/**
 * Segments of dotted Dropwizard metric names. The Prometheus mapping rules split names at dots, so
 * a value that may contain one (a client address, a cloud error code such as
 * {@code Throttling.User}) is percent-encoded here and decoded by the exposition.
 */
public final class MetricNames {
  private MetricNames() {}

  /** A value as one name segment: '%', '.', ',' and '=' percent-encoded. */
  public static String segment(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '%' -> b.append("%25");
        case '.' -> b.append("%2E");
        case ',' -> b.append("%2C");
        case '=' -> b.append("%3D");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  public static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    return segment.replace("%2E", ".").replace("%2C", ",").replace("%3D", "=").replace("%25", "%");
  }

  /** Extra labels as one segment: {@code k=v,k=v}, each part encoded. */
  public static String labels(Map<String, String> labels) {
    StringJoiner j = new StringJoiner(",");
    labels.forEach((k, v) -> j.add(segment(k) + "=" + segment(v)));
    return j.toString();
  }
}

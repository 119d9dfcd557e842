package io.rdsflow.service.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, without a PromQL parser: string literals and Grafana
 * variables ({@code $instance_id}, {@code ${datasource}}, {@code $__rate_interval}) are removed, then every
 * identifier that starts like a series of rdsflow's /metrics ({@code rds_}, {@code rdsflow_}, {@code mysql_},
 * {@code jvm_}, {@code process_}) is a metric name. Identifiers with a colon are recording rules; anything else
 * (functions, keywords, label names, Prometheus' own {@code up}) is not looked at.
 */
final class PromqlNames {
  private PromqlNames() {}

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$[a-zA-Z_][a-zA-Z0-9_]*|\\[\\[[^]]*]]");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern EXPOSED = Pattern.compile("(rds|rdsflow|mysql|jvm|process)_[a-zA-Z0-9_]*");

  /** Metric names of the service's exposition that {@code expr} reads. */
  static Set<String> metricNames(String expr) {
    Set<String> out = new TreeSet<>();
    for (String id : identifiers(expr)) {
      if (EXPOSED.matcher(id).matches()) {
        out.add(id);
      }
    }
    return out;
  }

  /** Recording rule names ({@code level:metric:operations}) that {@code expr} reads. */
  static Set<String> recordingRules(String expr) {
    Set<String> out = new TreeSet<>();
    for (String id : identifiers(expr)) {
      if (id.contains(":")) {
        out.add(id);
      }
    }
    return out;
  }

  private static Set<String> identifiers(String expr) {
    String bare = VARIABLE.matcher(STRING.matcher(expr).replaceAll(" ")).replaceAll(" ");
    Set<String> out = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(bare);
    while (m.find()) {
      // a duration such as [5m] or offset 15m is a number followed by a unit, not an identifier
      if (m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1))) {
        continue;
      }
      out.add(m.group());
    }
    return out;
  }
}

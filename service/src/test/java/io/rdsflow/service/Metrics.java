package io.rdsflow.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus text exposition, for assertions on series by name and labels. */
record Metrics(List<Series> series) {
  record Series(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /**
   * Waits until the next scrape renders the service's own series anew: they are rendered at most once a second
   * ({@code PrometheusExposition.LIVE_FOR_MILLIS}), so a counter read right after an earlier scrape may not show what
   * happened in between.
   */
  static void awaitFreshLivePart() {
    try {
      Thread.sleep(io.rdsflow.service.metrics.PrometheusExposition.LIVE_FOR_MILLIS + 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Metrics parse(String text) {
    List<Series> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return new Metrics(out);
  }

  /** The value of the one series of {@code name} whose labels include all of {@code labels}. */
  OptionalDouble value(String name, Map<String, String> labels) {
    List<Series> found = find(name, labels);
    if (found.size() > 1) {
      throw new IllegalStateException(found.size() + " series match " + name + labels + ": " + found);
    }
    return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
  }

  List<Series> find(String name, Map<String, String> labels) {
    return series.stream().filter(s -> s.name().equals(name))
        .filter(s -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
        .toList();
  }
}

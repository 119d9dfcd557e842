package io.rdsflow.service.metrics;

import io.prometheus.client.dropwizard.samplebuilder.MapperConfig;
import java.util.ArrayList;
import java.util.List;

/** The mapping rules from dotted Dropwizard names to Prometheus names with labels (DESIGN §7). */
public final class MetricRules {
  private MetricRules() {}

  public static List<MapperConfig> all() {
    return new ArrayList<>();
  }
}

package io.rdsflow.service.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.CustomMappingSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.MapperConfig;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.List;

/**
 * Maps Dropwizard metric names to Prometheus samples: the mapping rules turn dotted names into
 * labels; every other name is made snake_case (Jetty's and the JVM's camelCase names otherwise fail
 * {@code promtool check metrics}).
 */
public final class SnakeCaseSampleBuilder implements SampleBuilder {
  private final SampleBuilder delegate;

  public SnakeCaseSampleBuilder(List<MapperConfig> rules) {
    this.delegate = rules.isEmpty() ? new DefaultSampleBuilder() : new CustomMappingSampleBuilder(rules);
  }

  @Override
  public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix,
      List<String> additionalLabelNames, List<String> additionalLabelValues, double value) {
    Collector.MetricFamilySamples.Sample s =
        delegate.createSample(dropwizardName, nameSuffix, additionalLabelNames, additionalLabelValues, value);
    return new Collector.MetricFamilySamples.Sample(snake(s.name), s.labelNames, s.labelValues, s.value);
  }

  static String snake(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    char prev = '_';
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        if (Character.isLowerCase(prev) || Character.isDigit(prev)) {
          out.append('_');
        }
        c = Character.toLowerCase(c);
      } else if (!Character.isLetterOrDigit(c)) {
        c = '_';
      }
      if (!(c == '_' && out.length() > 0 && out.charAt(out.length() - 1) == '_')) {
        out.append(c);
      }
      prev = name.charAt(i);
    }
    return out.toString();
  }
}

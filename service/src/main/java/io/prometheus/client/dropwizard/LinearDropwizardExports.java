package io.prometheus.client.dropwizard;

import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@link DropwizardExports} with the same conversions (it calls them), but merging same-named families
 * in linear time: the library copies a family's sample list for every metric it adds, which is
 * quadratic in the series per family (4000 client-address series of one family on a 1000-instance
 * fleet). It lives in the library's package because the per-type conversions are package-private.
 */
public final class LinearDropwizardExports extends DropwizardExports {
  private final MetricRegistry registry;

  public LinearDropwizardExports(MetricRegistry registry, SampleBuilder sampleBuilder) {
    super(registry, sampleBuilder);
    this.registry = registry;
  }

  @Override
  public List<MetricFamilySamples> collect() {
    Map<String, MetricFamilySamples> first = new HashMap<>();
    Map<String, List<MetricFamilySamples.Sample>> samples = new HashMap<>();
    add(registry.getGauges(), this::fromGauge, first, samples);
    add(registry.getCounters(), this::fromCounter, first, samples);
    add(registry.getHistograms(), this::fromHistogram, first, samples);
    add(registry.getTimers(), this::fromTimer, first, samples);
    add(registry.getMeters(), this::fromMeter, first, samples);
    List<MetricFamilySamples> out = new ArrayList<>(first.size());
    first.forEach((name, family) ->
        out.add(new MetricFamilySamples(name, family.type, family.help, samples.get(name))));
    return out;
  }

  private static <M extends Metric> void add(Map<String, M> metrics, BiFunction<String, M, MetricFamilySamples> convert,
      Map<String, MetricFamilySamples> first, Map<String, List<MetricFamilySamples.Sample>> samples) {
    for (Map.Entry<String, M> e : metrics.entrySet()) {
      MetricFamilySamples family = convert.apply(e.getKey(), e.getValue());
      if (family == null) {
        continue;
      }
      first.putIfAbsent(family.name, family);
      samples.computeIfAbsent(family.name, k -> new ArrayList<>()).addAll(family.samples);
    }
  }
}

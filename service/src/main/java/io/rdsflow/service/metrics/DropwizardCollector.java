package io.rdsflow.service.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Dropwizard {@link MetricRegistry} as Prometheus families, through public API only: the same
 * exposition as simpleclient_dropwizard's {@code DropwizardExports} with the same {@link SampleBuilder}
 * (names, labels, TYPE, HELP, family order, sample order; {@code DropwizardExportsEquivalenceTest}
 * holds the two side by side), but same-named families are merged in linear time. The library copies
 * a family's sample list for every metric it adds to it, quadratic in the series of one family (an
 * {@code rds_*} family has one series per target: 14,550 series on the bench, see
 * bench/collection/README.md).
 *
 * <p>The conversions are those of simpleclient_dropwizard 0.16.0: gauges (numbers and booleans; others
 * skipped) and counters as gauges, histograms and timers (in seconds) as summaries with quantiles 0.5 to
 * 0.999 and {@code _count}, meters as counters (sample suffix {@code _total}, family named without it,
 * as {@link MetricFamilySamples} names a counter). A family takes its type and HELP from its first
 * metric, in the order gauges, counters, histograms, timers, meters, each by name; the families come out
 * in {@link HashMap} order of their names, as the library's do.
 */
public final class DropwizardCollector extends Collector implements Collector.Describable {
  private static final double NANOS_TO_SECONDS = 1.0D / TimeUnit.SECONDS.toNanos(1L);
  private static final String TOTAL = "_total";
  private static final String[] QUANTILES = {"0.5", "0.75", "0.95", "0.98", "0.99", "0.999"};

  private final MetricRegistry registry;
  private final SampleBuilder sampleBuilder;

  public DropwizardCollector(MetricRegistry registry, SampleBuilder sampleBuilder) {
    this.registry = registry;
    this.sampleBuilder = sampleBuilder;
  }

  /** The families being built: type and HELP of the first metric of each name, every metric's samples. */
  private static final class Families {
    final Map<String, Family> byName = new HashMap<>();

    /** {@code help} is computed only for the first metric of a family: it is the only one printed. */
    void add(String name, Type type, String dropwizardName, Metric metric, List<MetricFamilySamples.Sample> samples) {
      Family f = byName.get(name);
      if (f == null) {
        byName.put(name, new Family(type, help(dropwizardName, metric), samples));
      } else {
        f.samples.addAll(samples);
      }
    }

    void add(String name, Type type, String dropwizardName, Metric metric, MetricFamilySamples.Sample sample) {
      Family f = byName.get(name);
      if (f == null) {
        List<MetricFamilySamples.Sample> samples = new ArrayList<>();
        samples.add(sample);
        byName.put(name, new Family(type, help(dropwizardName, metric), samples));
      } else {
        f.samples.add(sample);
      }
    }

    List<MetricFamilySamples> toList() {
      List<MetricFamilySamples> out = new ArrayList<>(byName.size());
      byName.forEach((name, f) -> out.add(new MetricFamilySamples(name, f.type, f.help, f.samples)));
      return out;
    }
  }

  private static final class Family {
    final Type type;
    final String help;
    final List<MetricFamilySamples.Sample> samples;

    Family(Type type, String help, List<MetricFamilySamples.Sample> samples) {
      this.type = type;
      this.help = help;
      this.samples = samples instanceof ArrayList ? samples : new ArrayList<>(samples);
    }
  }

  @Override
  public List<MetricFamilySamples> collect() {
    Families families = new Families();
    for (Map.Entry<String, Gauge> e : registry.getGauges().entrySet()) {
      gauge(families, e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Counter> e : registry.getCounters().entrySet()) {
      MetricFamilySamples.Sample s = sampleBuilder.createSample(e.getKey(), "", new ArrayList<>(), new ArrayList<>(),
          (double) e.getValue().getCount());
      families.add(s.name, Type.GAUGE, e.getKey(), e.getValue(), s);
    }
    for (Map.Entry<String, Histogram> e : registry.getHistograms().entrySet()) {
      Histogram h = e.getValue();
      summary(families, e.getKey(), h, h.getSnapshot(), h.getCount(), 1.0);
    }
    for (Map.Entry<String, Timer> e : registry.getTimers().entrySet()) {
      Timer t = e.getValue();
      summary(families, e.getKey(), t, t.getSnapshot(), t.getCount(), NANOS_TO_SECONDS);
    }
    for (Map.Entry<String, Meter> e : registry.getMeters().entrySet()) {
      MetricFamilySamples.Sample s = sampleBuilder.createSample(e.getKey(), "_total", new ArrayList<>(), new ArrayList<>(),
          e.getValue().getCount());
      // As MetricFamilySamples does for a counter: the family is named without _total, the sample with it.
      boolean total = s.name.endsWith(TOTAL);
      String family = total ? s.name.substring(0, s.name.length() - TOTAL.length()) : s.name;
      if (!total) {
        s = new MetricFamilySamples.Sample(s.name + TOTAL, s.labelNames, s.labelValues, s.value, s.exemplar, s.timestampMs);
      }
      families.add(family, Type.COUNTER, e.getKey(), e.getValue(), s);
    }
    return families.toList();
  }

  /** Numbers and booleans; a gauge of any other value (or null) is left out. A gauge that throws fails the scrape, as in the library. */
  private void gauge(Families families, String dropwizardName, Gauge<?> gauge) {
    Object v = gauge.getValue();
    double value;
    if (v instanceof Number) {
      value = ((Number) v).doubleValue();
    } else if (v instanceof Boolean) {
      value = ((Boolean) v) ? 1 : 0;
    } else {
      return;
    }
    MetricFamilySamples.Sample s = sampleBuilder.createSample(dropwizardName, "", new ArrayList<>(), new ArrayList<>(), value);
    families.add(s.name, Type.GAUGE, dropwizardName, gauge, s);
  }

  private void summary(Families families, String dropwizardName, Metric metric, Snapshot snapshot, long count, double factor) {
    double[] values = {snapshot.getMedian(), snapshot.get75thPercentile(), snapshot.get95thPercentile(),
        snapshot.get98thPercentile(), snapshot.get99thPercentile(), snapshot.get999thPercentile()};
    List<MetricFamilySamples.Sample> samples = new ArrayList<>(QUANTILES.length + 1);
    for (int i = 0; i < QUANTILES.length; i++) {
      samples.add(sampleBuilder.createSample(dropwizardName, "", Arrays.asList("quantile"), Arrays.asList(QUANTILES[i]),
          values[i] * factor));
    }
    samples.add(sampleBuilder.createSample(dropwizardName, "_count", new ArrayList<>(), new ArrayList<>(), count));
    families.add(samples.get(0).name, Type.SUMMARY, dropwizardName, metric, samples);
  }

  private static String help(String dropwizardName, Metric metric) {
    return String.format("Generated from Dropwizard metric import (metric=%s, type=%s)", dropwizardName,
        metric.getClass().getName());
  }

  /** Nothing: like the library's, this collector's names are not checked for clashes at registration. */
  @Override
  public List<MetricFamilySamples> describe() {
    return new ArrayList<>();
  }
}

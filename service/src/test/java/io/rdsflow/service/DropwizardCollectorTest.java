package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import io.prometheus.client.exporter.common.TextFormat;
import io.rdsflow.activities.metrics.MetricNames;
import io.rdsflow.service.metrics.DropwizardCollector;
import io.rdsflow.service.metrics.PrometheusSampleBuilder;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DropwizardCollector} against the library's own public {@link DropwizardExports} with the same
 * sample builder: the text expositions are identical line for line (names, labels, TYPE, HELP, family
 * and sample order), on the first scrape and on later ones (mapped names cached, values changed).
 */
class DropwizardCollectorTest {
  @TempDir Path dir;

  /** A counter whose count is set, like SnapshotPublisher's server-side counters (a Meter subclass). */
  private static final class SetCounter extends Meter {
    final AtomicLong count = new AtomicLong();

    @Override
    public long getCount() {
      return count.get();
    }
  }

  private static String identity(int i) {
    return String.join(".", MetricNames.segment("rm-" + i), MetricNames.segment("db." + i + ".prod%,=x"),
        MetricNames.segment(i % 2 == 0 ? "MySQL" : "PostgreSQL"), MetricNames.segment("12345"),
        MetricNames.segment(i % 3 == 0 ? "replica" : "primary"));
  }

  private static Map<String, String> labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Every kind of metric the service registers, and the odd ones the conversions skip or rename. */
  private static MetricRegistry registry(Map<String, AtomicLong> values, List<SetCounter> counters) {
    MetricRegistry r = new MetricRegistry();
    for (int i = 0; i < 300; i++) {
      String id = identity(i);
      AtomicLong v = new AtomicLong(i);
      values.put(id, v);
      r.register("rds.up." + id + ".", (Gauge<Double>) () -> v.get() % 2 == 0 ? 1.0 : 0.0);
      r.register("rds.instance_info." + id + "." + MetricNames.labels(labels("team", "a.b,c=d", "role", "clash")),
          (Gauge<Double>) () -> 1.0);
      r.register("rds.connections." + id + "." + MetricNames.labels(labels("state", "active", "0bad-name", "x")),
          (Gauge<Long>) v::get);
      r.register("rds.connections." + id + "." + MetricNames.labels(labels("state", "idle", "0bad-name", "y")),
          (Gauge<Integer>) () -> (int) v.get() * 2);
      SetCounter c = new SetCounter();
      c.count.set(1000L * i);
      counters.add(c);
      r.register("rds.queries." + id + ".", c);
      // One family made of Dropwizard counters and gauges alike (both exported as gauges).
      if (i % 2 == 0) {
        r.counter("rds.mixed." + id + ".").inc(i);
      } else {
        r.register("rds.mixed." + id + ".", (Gauge<Double>) () -> 0.5 * v.get());
      }
    }
    r.register("rds.flag." + identity(1) + ".", (Gauge<Boolean>) () -> true);
    r.register("rds.flag." + identity(2) + ".", (Gauge<Boolean>) () -> false);
    r.register("rds.text." + identity(1) + ".", (Gauge<String>) () -> "not a number");
    r.register("rds.none." + identity(1) + ".", (Gauge<Object>) () -> null);

    Timer step = r.register("rdsflow.step.duration.CreateInstance", new Timer(new SlidingWindowReservoir(64)));
    Timer collection = r.register("rdsflow.collection.duration.g1", new Timer(new SlidingWindowReservoir(64)));
    for (int i = 1; i <= 50; i++) {
      step.update(i * 37L, TimeUnit.MILLISECONDS);
      collection.update(i * 3L, TimeUnit.MILLISECONDS);
    }
    Histogram h = r.register("io.dropwizard.jetty.MutableServletContextHandler.responseSizes",
        new Histogram(new SlidingWindowReservoir(64)));
    for (int i = 1; i <= 40; i++) {
      h.update(i * 101L);
    }
    Meter m = r.meter("rdsflow.cloud.api.throttled.DescribeDBInstances");
    m.mark(7);
    r.meter("rdsflow.cloud.api.requests.DescribeDBInstances.200").mark(12);
    r.meter("rdsflow.cloud.api.requests.DescribeDBInstances.Throttling%2EUser").mark(3);
    r.meter("rdsflow.steps.CreateInstance.ok").mark(2);
    Counter targets = r.counter("rdsflow.collection.targets.g1.ok");
    targets.inc(300);
    r.counter("rdsflow.collection.targets.g1.failed").inc(4);
    r.register("metadb.pool.ActiveConnections", (Gauge<Integer>) () -> 3);
    r.register("io.dropwizard.jetty.MutableServletContextHandler.percent-4xx-1m", (Gauge<Double>) () -> 0.25);
    r.timer("io.dropwizard.jetty.MutableServletContextHandler.requests").update(5, TimeUnit.MILLISECONDS);
    return r;
  }

  private static String scrape(Collector collector) throws Exception {
    CollectorRegistry registry = new CollectorRegistry();
    registry.register(collector);
    StringWriter out = new StringWriter();
    TextFormat.write004(out, registry.metricFamilySamples());
    return out.toString();
  }

  @Test
  void expositionIsTheLibrarysLineForLine() throws Exception {
    Map<String, AtomicLong> values = new LinkedHashMap<>();
    List<SetCounter> counters = new ArrayList<>();
    MetricRegistry metrics = registry(values, counters);
    DropwizardExports library = new DropwizardExports(metrics, new PrometheusSampleBuilder());
    DropwizardCollector ours = new DropwizardCollector(metrics, new PrometheusSampleBuilder());

    String expected = scrape(library);
    String actual = scrape(ours);
    assertThat(actual.lines()).containsExactlyElementsOf(expected.lines().toList());
    assertThat(actual).isEqualTo(expected);

    // The test covers what it claims: one family per name with every target, each kind, the decoded labels.
    assertThat(actual.lines().filter(l -> l.startsWith("rds_up{"))).hasSize(300);
    assertThat(actual.lines().filter(l -> l.startsWith("rds_connections{"))).hasSize(600);
    assertThat(actual.lines().filter(l -> l.startsWith("rds_mixed{"))).hasSize(300);
    assertThat(actual.lines().filter(l -> l.startsWith("# TYPE "))).doesNotHaveDuplicates();
    assertThat(actual).contains("# TYPE rds_up gauge", "# TYPE rds_queries_total counter", "# TYPE rds_mixed gauge",
        "# TYPE rdsflow_step_duration_seconds summary", "# TYPE rdsflow_collection_targets gauge",
        "# TYPE rdsflow_cloud_api_requests_total counter",
        "# TYPE io_dropwizard_jetty_mutable_servlet_context_handler_response_sizes summary",
        "# HELP rds_up Generated from Dropwizard metric import (metric=rds.up.",
        "rds_flag{", "instance_name=\"db.7.prod%,=x\"", "team=\"a.b,c=d\"", "label_role=\"clash\"", "l_0bad_name=\"x\"",
        "code=\"Throttling.User\"", "rdsflow_step_duration_seconds_count{step=\"CreateInstance\",} 50.0",
        "quantile=\"0.999\"");
    assertThat(actual).doesNotContain("rds_text", "rds_none");
    Promtool.assertAccepts(actual, dir);

    // Later scrapes (names and labels from the builders' caches) with changed values and a removed target.
    values.values().forEach(v -> v.addAndGet(3));
    counters.forEach(c -> c.count.addAndGet(17));
    metrics.removeMatching((name, metric) -> name.contains(identity(5)));
    for (int i = 0; i < 2; i++) {
      String again = scrape(ours);
      assertThat(again.lines()).containsExactlyElementsOf(scrape(library).lines().toList());
      assertThat(again).isNotEqualTo(actual);
    }
  }

  /**
   * A sample builder that drops the suffixes: meters come out without {@code _total} (the counter family
   * adds it) and share a family name with a gauge and a timer; still the library's exposition.
   */
  @Test
  void namesWithoutSuffixesMergeAsInTheLibrary() throws Exception {
    SampleBuilder plain = (name, suffix, labelNames, labelValues, value) ->
        new Collector.MetricFamilySamples.Sample(Collector.sanitizeMetricName(name.replaceAll("\\.[0-9]+$", "")),
            labelNames, labelValues, value);
    MetricRegistry metrics = new MetricRegistry();
    metrics.meter("shared.1").mark(2);
    metrics.register("shared.2", (Gauge<Integer>) () -> 5);
    metrics.timer("shared.3").update(1, TimeUnit.SECONDS);
    metrics.meter("events.1").mark(1);
    metrics.meter("events.2").mark(4);
    metrics.counter("events_total.1").inc(3);
    String expected = scrape(new DropwizardExports(metrics, plain));
    assertThat(scrape(new DropwizardCollector(metrics, plain)).lines()).containsExactlyElementsOf(expected.lines().toList());
    assertThat(expected).contains("# TYPE shared gauge", "shared_total 2.0", "# TYPE events_total counter", "# TYPE events_total gauge");
  }

  @Test
  void aLargeFamilyIsOneFamilyWithEverySeries() {
    MetricRegistry metrics = new MetricRegistry();
    for (int i = 0; i < 20_000; i++) {
      int n = i;
      metrics.register("rds.up." + identity(i) + ".", (Gauge<Integer>) () -> n % 2);
    }
    List<Collector.MetricFamilySamples> families = new DropwizardCollector(metrics, new PrometheusSampleBuilder()).collect();
    assertThat(families).hasSize(1);
    assertThat(families.get(0).name).isEqualTo("rds_up");
    assertThat(families.get(0).samples).hasSize(20_000);
  }
}

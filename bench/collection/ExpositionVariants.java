import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import io.prometheus.client.exporter.common.TextFormat;
import io.rdsflow.activities.metrics.MetricNames;
import io.rdsflow.service.metrics.PrometheusExposition;
import io.rdsflow.service.metrics.PrometheusSampleBuilder;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Where GET /metrics spends its time, without HTTP or the database: the Dropwizard registry is filled
 * with the names SnapshotPublisher registers for the bench's fleet (N DAS targets with 5 sessions each,
 * 50 JDBC targets), then three ways of writing it in Prometheus text format are timed:
 * <ol>
 *   <li>today's {@code PrometheusExposition.scrape()} (DropwizardExports + PrometheusSampleBuilder);</li>
 *   <li>the same with PrometheusSampleBuilder's result cached per Dropwizard name (names are stable
 *       between scrapes, only values change);</li>
 *   <li>a Collector that groups the series into families itself from the cached names, as
 *       SnapshotPublisher could register instead of one Dropwizard gauge per series.</li>
 * </ol>
 * <pre>
 * java -cp service/target/rdsflow.jar bench/collection/ExpositionVariants.java [dasTargets] [iterations]
 * </pre>
 */
public class ExpositionVariants {

  record Mapped(String name, List<String> labelNames, List<String> labelValues) {}

  /** Variant 2: PrometheusSampleBuilder, remembered per (name, suffix, extra labels). */
  static final class CachingSampleBuilder implements SampleBuilder {
    private final SampleBuilder delegate = new PrometheusSampleBuilder();
    private final Map<String, Mapped> cache = new ConcurrentHashMap<>();

    @Override
    public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix,
        List<String> additionalLabelNames, List<String> additionalLabelValues, double value) {
      String key = dropwizardName + '\u0000' + nameSuffix + '\u0000' + additionalLabelNames + additionalLabelValues;
      Mapped m = cache.computeIfAbsent(key, k -> {
        Collector.MetricFamilySamples.Sample s =
            delegate.createSample(dropwizardName, nameSuffix, additionalLabelNames, additionalLabelValues, 0);
        return new Mapped(s.name, s.labelNames, s.labelValues);
      });
      return new Collector.MetricFamilySamples.Sample(m.name(), m.labelNames(), m.labelValues(), value);
    }
  }

  /** Variant 3: series kept as (mapped name, value), grouped into families in one pass. */
  static final class DirectCollector extends Collector {
    private final Map<String, Double> values;
    private final Map<String, Mapped> mapped = new HashMap<>();

    DirectCollector(Map<String, Double> values) {
      this.values = values;
      SampleBuilder b = new PrometheusSampleBuilder();
      values.keySet().forEach(n -> {
        Collector.MetricFamilySamples.Sample s = b.createSample(n, "", List.of(), List.of(), 0);
        mapped.put(n, new Mapped(s.name, s.labelNames, s.labelValues));
      });
    }

    @Override
    public List<MetricFamilySamples> collect() {
      Map<String, List<MetricFamilySamples.Sample>> families = new LinkedHashMap<>();
      values.forEach((n, v) -> {
        Mapped m = mapped.get(n);
        families.computeIfAbsent(m.name(), k -> new ArrayList<>())
            .add(new MetricFamilySamples.Sample(m.name(), m.labelNames(), m.labelValues(), v));
      });
      List<MetricFamilySamples> out = new ArrayList<>(families.size());
      families.forEach((name, samples) -> out.add(new MetricFamilySamples(name, Type.GAUGE, name, samples)));
      return out;
    }
  }

  public static void main(String[] args) throws Exception {
    int das = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    Map<String, Double> values = fleet(das, 50);
    MetricRegistry registry = new MetricRegistry();
    values.forEach((n, v) -> registry.register(n, (Gauge<Double>) () -> values.get(n)));
    System.out.printf("%d series (%d DAS targets with 5 sessions, 50 JDBC targets); median of %d scrapes after 10 warm-ups%n",
        values.size(), das, iterations);

    PrometheusExposition today = new PrometheusExposition(registry);
    CollectorRegistry cached = new CollectorRegistry();
    cached.register(new DropwizardExports(registry, new CachingSampleBuilder()));
    CollectorRegistry direct = new CollectorRegistry();
    direct.register(new DirectCollector(values));

    time("1 PrometheusExposition.scrape() today", () -> {
      try {
        return today.scrape();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, iterations);
    time("2 same, PrometheusSampleBuilder cached per name", () -> write(cached), iterations);
    time("3 own Collector, families built in one pass", () -> write(direct), iterations);
  }

  static String write(CollectorRegistry r) {
    try {
      StringWriter out = new StringWriter(64 * 1024);
      TextFormat.write004(out, r.metricFamilySamples());
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void time(String label, Supplier<String> scrape, int iterations) {
    for (int i = 0; i < 10; i++) {
      scrape.get();
    }
    double[] ms = new double[iterations];
    int bytes = 0;
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      bytes = scrape.get().length();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf("  %-50s p50 %7.1f ms  max %7.1f ms  %,d chars%n", label, ms[iterations / 2], ms[iterations - 1], bytes);
  }

  /** The Dropwizard names SnapshotPublisher.series() registers for the bench's targets. */
  static Map<String, Double> fleet(int das, int jdbc) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 1; i <= das; i++) {
      String id = String.format("rm-sim%02dx%05d", (i - 1) / 200 + 1, (i - 1) % 200 + 1);
      String identity = String.join(".", seg(id), seg("das-" + id.substring(3)), "aliyun",
          seg("16000000000000" + String.format("%02d", (i - 1) / 200 + 1)), "master");
      m.put("rds.up." + identity + ".", 1.0);
      m.put("rds.instance_info." + identity + "." + MetricNames.labels(Map.of("bench", "collection")), 1.0);
      m.put("rds.sessions." + identity + "." + MetricNames.labels(Map.of("state", "total")), 5.0);
      m.put("rds.sessions." + identity + "." + MetricNames.labels(Map.of("state", "active")), 2.0);
      for (int u = 0; u < 3; u++) {
        m.put("rds.sessions_by_user." + identity + "." + MetricNames.labels(Map.of("user", "app" + u)), 2.0);
      }
      for (int c = 0; c < 4; c++) {
        m.put("rds.sessions_by_client." + identity + "." + MetricNames.labels(Map.of("client", "10.1." + c + "." + (i % 250))), 1.0);
      }
      for (int d = 0; d < 2; d++) {
        m.put("rds.sessions_by_db." + identity + "." + MetricNames.labels(Map.of("db", "db" + d)), 2.0);
      }
      m.put("rds.session_max_active_seconds." + identity + ".", 3.0);
    }
    for (int i = 1; i <= jdbc; i++) {
      String identity = String.join(".", seg("re-" + i), seg("ext-" + i), "external", "", "master");
      m.put("rds.up." + identity + ".", 1.0);
      m.put("rds.instance_info." + identity + "." + MetricNames.labels(Map.of("bench", "collection")), 1.0);
      m.put("rds.sessions." + identity + "." + MetricNames.labels(Map.of("state", "total")), 20.0);
      m.put("rds.sessions." + identity + "." + MetricNames.labels(Map.of("state", "active")), 1.0);
      m.put("rds.sessions_by_user." + identity + "." + MetricNames.labels(Map.of("user", "monitor")), 20.0);
      m.put("rds.sessions_by_client." + identity + "." + MetricNames.labels(Map.of("client", "127.0.0.1")), 20.0);
      m.put("rds.session_max_active_seconds." + identity + ".", 0.0);
      m.put("rds.threads_connected." + identity + ".", 21.0);
      m.put("rds.threads_running." + identity + ".", 1.0);
      m.put("rds.questions_total." + identity + ".", 1000.0 * i);
    }
    return m;
  }

  static String seg(String v) {
    return MetricNames.segment(v);
  }
}

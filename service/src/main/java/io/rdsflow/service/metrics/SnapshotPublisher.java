package io.rdsflow.service.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import io.rdsflow.activities.collect.CollectionDao;
import io.rdsflow.activities.collect.Sample;
import io.rdsflow.activities.metrics.MetricNames;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes the latest collection snapshots (from the metadata database, so any replica serves the
 * whole fleet) as Dropwizard metrics named for {@link MetricRules#RDS}. Only changed snapshots are
 * re-read. A target not refreshed for two periods reports {@code rds_up 0} and nothing else.
 */
public final class SnapshotPublisher {
  private static final long MIN_REFRESH_MILLIS = 1000;

  private final CollectionDao dao;
  private final MetricRegistry registry;
  private final Clock clock;
  private final Map<String, CollectionDao.Snapshot> loaded = new HashMap<>();
  private final Map<String, Double> values = new ConcurrentHashMap<>();
  private final Set<String> registered = new HashSet<>();
  private long lastRefresh;

  /** A counter whose value is the server's own (it may reset when the server restarts). */
  private static final class ExternalCounter extends Meter {
    private final Map<String, Double> values;
    private final String name;

    ExternalCounter(Map<String, Double> values, String name) {
      this.values = values;
      this.name = name;
    }

    @Override
    public long getCount() {
      return values.getOrDefault(name, 0.0).longValue();
    }
  }

  public SnapshotPublisher(CollectionDao dao, MetricRegistry registry, Clock clock) {
    this.dao = dao;
    this.registry = registry;
    this.clock = clock;
  }

  /** Brings the registry up to date with the stored snapshots (at most once a second). */
  public synchronized void refresh() {
    long now = clock.millis();
    if (now - lastRefresh < MIN_REFRESH_MILLIS) {
      return;
    }
    lastRefresh = now;
    Map<String, Instant> stamps = new HashMap<>();
    dao.stamps().forEach(s -> stamps.put(s.targetId(), s.collectedAt()));
    loaded.keySet().retainAll(stamps.keySet());
    for (Map.Entry<String, Instant> s : stamps.entrySet()) {
      CollectionDao.Snapshot have = loaded.get(s.getKey());
      if (have == null || !have.collectedAt().equals(s.getValue())) {
        dao.snapshot(s.getKey()).ifPresent(snap -> loaded.put(snap.targetId(), snap));
      }
    }
    Map<String, Double> gauges = new HashMap<>();
    Map<String, Double> counters = new HashMap<>();
    for (CollectionDao.Snapshot snap : loaded.values()) {
      series(snap, now, gauges, counters);
    }
    sync(gauges, counters);
  }

  private static void series(CollectionDao.Snapshot snap, long now, Map<String, Double> gauges, Map<String, Double> counters) {
    Map<String, String> id = snap.identity();
    String identity = String.join(".", MetricNames.segment(id.get("instance_id")), MetricNames.segment(id.get("instance_name")),
        MetricNames.segment(id.get("engine")), MetricNames.segment(id.get("aliyun_uid")), MetricNames.segment(id.get("role")));
    boolean fresh = snap.collectedAt().toEpochMilli() + 2 * snap.periodMillis() >= now;
    gauges.put("rds.up." + identity + ".", snap.ok() && fresh ? 1.0 : 0.0);
    Map<String, String> userLabels = new LinkedHashMap<>();
    id.forEach((k, v) -> {
      if (k.startsWith("label:")) {
        userLabels.put(k.substring("label:".length()), v);
      }
    });
    gauges.put("rds.instance_info." + identity + "." + MetricNames.labels(userLabels), 1.0);
    if (!snap.ok() || !fresh) {
      return;
    }
    for (Sample s : snap.samples()) {
      String name = "rds." + s.metric() + "." + identity + "." + MetricNames.labels(s.labels());
      (s.counter() ? counters : gauges).put(name, s.value());
    }
  }

  private void sync(Map<String, Double> gauges, Map<String, Double> counters) {
    values.keySet().retainAll(union(gauges.keySet(), counters.keySet()));
    values.putAll(gauges);
    values.putAll(counters);
    for (String name : List.copyOf(registered)) {
      if (!values.containsKey(name)) {
        registry.remove(name);
        registered.remove(name);
      }
    }
    gauges.keySet().forEach(name -> register(name, () -> (Gauge<Double>) () -> values.getOrDefault(name, 0.0)));
    counters.keySet().forEach(name -> register(name, () -> new ExternalCounter(values, name)));
  }

  private void register(String name, java.util.function.Supplier<Metric> metric) {
    if (registered.add(name)) {
      registry.register(name, metric.get());
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  /** How many series are published; for tests and benchmarks. */
  public synchronized int seriesCount() {
    return registered.size();
  }
}

package io.rdsflow.activities.collect;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.workflows.collect.CollectionActivities;
import io.rdsflow.workflows.collect.RoundSummary;
import io.rdsflow.activities.steps.KeepAlive;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection round: every target of the group collected with bounded parallelism, each within
 * its own timeout, so an unreachable or hung target costs only that timeout; one snapshot per target;
 * the round recorded for {@code GET /v1/collections} and as {@code rdsflow_collection_*} metrics.
 */
public final class CollectionActivitiesImpl implements CollectionActivities {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionActivitiesImpl.class);

  private final CollectionDao dao;
  private final CustomMetricDao customMetrics;
  private final JdbcCollector jdbc;
  private final DasCollector das;
  private final SecretCipher cipher;
  private final MetricRegistry metrics;
  private final int jdbcParallelism;
  private final int dasParallelism;
  private final long targetTimeoutMillis;
  private final Map<String, Integer> lastCounts = new ConcurrentHashMap<>();

  public CollectionActivitiesImpl(CollectionDao dao, CustomMetricDao customMetrics, JdbcCollector jdbc, DasCollector das,
      SecretCipher cipher, MetricRegistry metrics, int jdbcParallelism, int dasParallelism, long targetTimeoutMillis) {
    this.dao = dao;
    this.customMetrics = customMetrics;
    this.jdbc = jdbc;
    this.das = das;
    this.cipher = cipher;
    this.metrics = metrics;
    this.jdbcParallelism = jdbcParallelism;
    this.dasParallelism = dasParallelism;
    this.targetTimeoutMillis = targetTimeoutMillis;
  }

  @Override
  public List<String> listTargets(String group) {
    return dao.targets(group).stream().map(Target::id).toList();
  }

  @Override
  public boolean groupExists(String group) {
    return dao.groupExists(group);
  }

  @Override
  public RoundSummary collectRound(String group, long round, List<String> targetIds, long periodMillis) {
    long start = System.currentTimeMillis();
    List<Target> targets = dao.targets(group).stream().filter(t -> targetIds.contains(t.id())).toList();
    List<CustomMetric> custom = group.startsWith("aliyun-") ? List.of() : customMetrics.list();
    boolean viaDas = group.startsWith("aliyun-");
    int parallelism = Math.max(1, Math.min(viaDas ? dasParallelism : jdbcParallelism, targets.size()));
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread th = new Thread(r, "collect-" + group);
      th.setDaemon(true);
      return th;
    });
    Map<String, String> errors = new TreeMap<>();
    Map<String, String> customErrors = new ConcurrentHashMap<>();
    AtomicInteger ok = new AtomicInteger();
    try (KeepAlive alive = KeepAlive.start()) {
      List<Future<?>> futures = new ArrayList<>();
      for (Target t : targets) {
        List<CustomMetric> forTarget = new ArrayList<>();
        for (CustomMetric m : custom) {
          try { // a broken metric is left out alone, never the round
            if (m.appliesTo(t) && round % Math.max(1, m.intervalSeconds() * 1000L / Math.max(periodMillis, 1)) == 0) {
              forTarget.add(m);
            }
          } catch (RuntimeException e) {
            LOG.warn("[{}] custom metric {} left out: {}", t.instanceId(), m.name(), e.toString());
            customErrors.put(t.id() + " custom_" + m.name(), "left out: " + e);
          }
        }
        futures.add(pool.submit(() -> collectOne(t, forTarget, periodMillis, ok, errors, customErrors)));
      }
      long deadline = System.currentTimeMillis() + targetTimeoutMillis * (targets.size() / parallelism + 2);
      for (int i = 0; i < futures.size(); i++) {
        Target t = targets.get(i);
        try {
          long wait = Math.max(targetTimeoutMillis, deadline - System.currentTimeMillis());
          futures.get(i).get(wait, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          futures.get(i).cancel(true);
          fail(t, "timed out after " + targetTimeoutMillis + " ms", periodMillis, errors);
        } catch (Exception e) {
          fail(t, e.getMessage(), periodMillis, errors);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    jdbc.retain(group, new HashSet<>(targetIds));
    dao.forgetOthers(group, targetIds);
    long duration = System.currentTimeMillis() - start;
    // failing targets by id; a failing custom metric under "<target id> custom_<name>" (the target counts as ok)
    Map<String, String> reported = new TreeMap<>(customErrors);
    reported.keySet().removeIf(k -> errors.containsKey(k.substring(0, k.indexOf(' '))));
    reported.putAll(errors);
    RoundSummary summary = new RoundSummary(group, round, start, duration, ok.get(), errors.size(), reported);
    dao.writeRound(summary);
    record(summary);
    LOG.info("collection {} round {}: {} ok, {} failed in {} ms", group, round, ok.get(), errors.size(), duration);
    return summary;
  }

  private void collectOne(Target t, List<CustomMetric> custom, long periodMillis, AtomicInteger ok, Map<String, String> errors,
      Map<String, String> customErrors) {
    Instant at = Instant.now();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(targetTimeoutMillis);
    try {
      List<Sample> samples;
      if (t.viaDas()) {
        samples = das.collect(t);
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("timed out after " + targetTimeoutMillis + " ms");
        }
      } else {
        String customPassword = null;
        if (!custom.isEmpty() && t.hasCustomAccount()) {
          customPassword = cipher.decrypt(t.customEncryptedPassword());
        }
        JdbcCollector.Result r;
        try {
          r = jdbc.collect(t, cipher.decrypt(t.encryptedPassword()), customPassword, custom, deadline);
        } catch (TimeoutException e) {
          throw new TimeoutException("timed out after " + targetTimeoutMillis + " ms");
        }
        CollectorMetrics.record(metrics, r.sources());
        samples = r.samples();
        r.customErrors().forEach((metric, error) -> customErrors.put(t.id() + " custom_" + metric, error));
      }
      dao.writeSnapshot(t, at, periodMillis, true, null, samples);
      ok.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      fail(t, describe(e), periodMillis, errors);
    }
  }

  /** The message and, when different, the root cause's (a pool timeout hides "Connection refused"). */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e || root.getMessage() == null ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
  }

  private void fail(Target t, String message, long periodMillis, Map<String, String> errors) {
    synchronized (errors) {
      if (errors.containsKey(t.id())) {
        return;
      }
      errors.put(t.id(), message);
    }
    LOG.warn("[{}] collection of {} failed: {}", t.instanceId(), t.id(), message);
    try {
      dao.writeSnapshot(t, Instant.now(), periodMillis, false, message, List.of());
    } catch (RuntimeException e) {
      LOG.warn("[{}] cannot record the failure: {}", t.instanceId(), e.getMessage());
    }
  }

  private void record(RoundSummary s) {
    metrics.timer(MetricRegistry.name("rdsflow", "collection", "duration", s.group()))
        .update(s.durationMillis(), TimeUnit.MILLISECONDS);
    lastCounts.put(s.group() + ".ok", s.ok());
    lastCounts.put(s.group() + ".failed", s.failed());
    for (String result : List.of("ok", "failed")) {
      String key = s.group() + "." + result;
      metrics.gauge(MetricRegistry.name("rdsflow", "collection", "targets", s.group(), result),
          () -> (Gauge<Integer>) () -> lastCounts.getOrDefault(key, 0));
    }
  }
}

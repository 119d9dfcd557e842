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
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection round: every target of the group collected with bounded parallelism, each within
 * its own timeout, so an unreachable or hung target costs only that timeout; one snapshot per target;
 * the round recorded for {@code GET /v1/collections} and as {@code rdsflow_collection_*} metrics. Every
 * target of a round ends ok or failed ({@link RoundTally}): one whose collection was interrupted (the round
 * given up, the worker shutting down) is failed with the error {@code interrupted}.
 */
public final class CollectionActivitiesImpl implements CollectionActivities {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionActivitiesImpl.class);

  private final CollectionDao dao;
  private final CustomMetricDao customMetrics;
  private final JdbcCollector jdbc;
  private final DasCollector das;
  private final DasPeriodCheck dasPeriod;
  private final SecretCipher cipher;
  private final MetricRegistry metrics;
  private final int jdbcParallelism;
  private final ThreadPoolExecutor dasPool;
  private final long targetTimeoutMillis;
  private final Map<String, Integer> lastCounts = new ConcurrentHashMap<>();

  public CollectionActivitiesImpl(CollectionDao dao, CustomMetricDao customMetrics, JdbcCollector jdbc, DasCollector das,
      SecretCipher cipher, MetricRegistry metrics, int jdbcParallelism, int dasParallelism, long targetTimeoutMillis) {
    this.dao = dao;
    this.customMetrics = customMetrics;
    this.jdbc = jdbc;
    this.das = das;
    this.dasPeriod = new DasPeriodCheck(das.quota(), DasPeriodCheck.fromDao(dao), metrics);
    this.cipher = cipher;
    this.metrics = metrics;
    this.jdbcParallelism = jdbcParallelism;
    this.dasPool = dasPool(dasParallelism);
    this.targetTimeoutMillis = targetTimeoutMillis;
  }

  /**
   * One pool for the DAS rounds of every group (every account): they share one DAS quota
   * ({@link DasQuota}, 60 calls/s by default), so more threads than {@code collection.dasParallelism} in all would
   * only wait for it. A pool per round made 64 threads per account (320 for 5 accounts, each with its stack, all
   * waiting for the same quota for a whole pass); idle threads end after a minute.
   */
  private static ThreadPoolExecutor dasPool(int parallelism) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(parallelism, parallelism, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread th = new Thread(r, "collect-das-" + n.incrementAndGet());
          th.setDaemon(true);
          return th;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
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
    // a DAS target is collected once a pass, however short the period: its snapshot stays fresh that long
    long passMillis = viaDas ? dasPeriod.minPassMillis(periodMillis) : 0;
    long freshFor = Math.max(periodMillis, passMillis);
    int parallelism = Math.max(1, Math.min(viaDas ? dasPool.getMaximumPoolSize() : jdbcParallelism, targets.size()));
    ExecutorService pool = viaDas ? dasPool : Executors.newFixedThreadPool(parallelism, r -> {
      Thread th = new Thread(r, "collect-" + group);
      th.setDaemon(true);
      return th;
    });
    List<Future<?>> futures = new ArrayList<>();
    RoundTally tally = new RoundTally(targets.stream().map(Target::id).toList());
    Map<String, String> customErrors = new ConcurrentHashMap<>();
    boolean interrupted = false;
    try (KeepAlive alive = KeepAlive.start()) {
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
        futures.add(pool.submit(() -> collectOne(t, forTarget, freshFor, tally, customErrors)));
      }
      // DAS targets also wait for the quota they share with every account's group: a whole pass at least
      long deadline = System.currentTimeMillis() + targetTimeoutMillis * (targets.size() / parallelism + 2)
          + passMillis;
      for (int i = 0; i < futures.size() && !interrupted; i++) {
        Target t = targets.get(i);
        try {
          long wait = Math.max(targetTimeoutMillis, deadline - System.currentTimeMillis());
          futures.get(i).get(wait, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          futures.get(i).cancel(true);
          fail(t, "timed out after " + targetTimeoutMillis + " ms", periodMillis, tally);
        } catch (InterruptedException e) {
          interrupted = true; // the round is being given up: what has not ended is failed as interrupted below
        } catch (CancellationException e) {
          fail(t, RoundTally.INTERRUPTED, periodMillis, tally);
        } catch (Exception e) {
          fail(t, describe(e), periodMillis, tally);
        }
      }
    } finally {
      if (viaDas) {
        futures.forEach(f -> f.cancel(true)); // the shared pool goes on; what this round left unfinished does not
      } else {
        pool.shutdownNow();
      }
    }
    for (Target t : targets) {
      if (tally.open().contains(t.id())) {
        fail(t, RoundTally.INTERRUPTED, periodMillis, tally);
      }
    }
    jdbc.retain(group, new HashSet<>(targetIds));
    dao.forgetOthers(group, targetIds);
    long duration = System.currentTimeMillis() - start;
    RoundSummary summary = tally.summary(group, round, start, duration, customErrors);
    writeRound(summary);
    LOG.info("collection {} round {}: {} ok, {} failed in {} ms", group, round, summary.ok(), summary.failed(), duration);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return summary;
  }

  /**
   * A round the workflow gave up (its activity timed out or was cancelled, the worker running it gone): recorded
   * as the workflow summarised it, every listed target failed as interrupted.
   */
  @Override
  public void recordRound(RoundSummary summary) {
    writeRound(summary);
    LOG.warn("collection {} round {} given up: {} targets failed as interrupted", summary.group(), summary.round(), summary.failed());
  }

  private void writeRound(RoundSummary summary) {
    dao.writeRound(summary);
    record(summary);
  }

  private void collectOne(Target t, List<CustomMetric> custom, long periodMillis, RoundTally tally, Map<String, String> customErrors) {
    Instant at = Instant.now();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(targetTimeoutMillis);
    try {
      List<Sample> samples;
      Map<String, Long> scrapeErrors = null;
      if (t.viaDas() && !t.collects(Collectors.PROCESSLIST)) {
        samples = List.of(); // DAS gives the sessions only: switched off, no call spends the quota
      } else if (t.viaDas()) {
        samples = das.collect(t, targetTimeoutMillis); // the budget without the waits for the DAS quota
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
        samples = new ArrayList<>(r.samples());
        scrapeErrors = scrapeErrors(t, r.sources(), samples, customErrors);
        r.customErrors().forEach((metric, error) -> customErrors.put(t.id() + " custom_" + metric, error));
      }
      dao.writeSnapshot(t, at, periodMillis, true, null, samples, scrapeErrors);
      tally.ok(t.id());
    } catch (InterruptedException e) {
      fail(t, RoundTally.INTERRUPTED, periodMillis, tally);
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      fail(t, describe(e), periodMillis, tally);
    }
  }

  /**
   * {@code rds_scrape_errors_total{collector}}: the target's count so far ({@link Target#scrapeErrors()}, from its
   * last snapshot) plus this round's failures, one sample per collector that ran; each failure also goes into the
   * round's errors as {@code "<target id> <collector>"} ({@code /v1/collections}): never a silent gap. Returns the
   * counts to store with the snapshot.
   */
  static Map<String, Long> scrapeErrors(Target t, List<JdbcSource.Outcome> outcomes, List<Sample> samples,
      Map<String, String> errors) {
    Map<String, Long> counts = new java.util.TreeMap<>(t.scrapeErrors());
    for (JdbcSource.Outcome o : outcomes) {
      long n = counts.getOrDefault(o.source(), 0L) + (o.success() ? 0 : 1);
      counts.put(o.source(), n);
      samples.add(Sample.counter("scrape_errors", "collector", o.source(), n));
      if (!o.success()) {
        errors.put(t.id() + " " + o.source(), o.error() == null ? "failed" : o.error());
      }
    }
    return counts;
  }

  /** The message and, when different, the root cause's (a pool timeout hides "Connection refused"). */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e || root.getMessage() == null ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
  }

  /** Counts {@code t} failed (unless it has ended already) and records its failed snapshot. */
  private void fail(Target t, String message, long periodMillis, RoundTally tally) {
    if (!tally.fail(t.id(), message)) {
      return;
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

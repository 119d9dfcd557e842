package io.rdsflow.activities.collect;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether {@code collection.dasPeriod} leaves room for a full DAS pass. A pass over every DAS target costs at
 * least {@value #CALLS_PER_TARGET} calls per target, paced by the {@link DasQuota}: 1000 targets on 5 accounts
 * are 2000 calls, 33 s at the shared 60 calls/s. With a shorter period the rounds run back to back and each
 * target is collected once a pass, not once a period: the service says so (a WARN line, repeated every 10 minutes
 * while it holds, and the gauges {@code rdsflow_das_pass_min_seconds} / {@code rdsflow_das_period_seconds}, to
 * compare in an alert) instead of refusing to start, since the targets come and go at run time.
 */
public final class DasPeriodCheck {
  private static final Logger LOG = LoggerFactory.getLogger(DasPeriodCheck.class);
  /** A DAS target costs two calls a pass when DAS has the sessions ready at the second (the usual case). */
  static final int CALLS_PER_TARGET = 2;
  static final String PASS_GAUGE = "rdsflow.das.pass_min_seconds";
  static final String PERIOD_GAUGE = "rdsflow.das.period_seconds";
  private static final long RECHECK_MILLIS = 30_000;
  private static final long REWARN_MILLIS = 600_000;

  private final DasQuota quota;
  private final Supplier<Map<String, Integer>> targetsPerAccount;
  private volatile double passSeconds;
  private volatile double periodSeconds;
  private long checkedAt;
  private long warnedAt;
  private int warnedTargets = -1;

  /** @param targetsPerAccount DAS targets by account uid, read from the metadata database (every process sees all) */
  public DasPeriodCheck(DasQuota quota, Supplier<Map<String, Integer>> targetsPerAccount, MetricRegistry metrics) {
    this.quota = quota;
    this.targetsPerAccount = targetsPerAccount;
    metrics.remove(PASS_GAUGE);
    metrics.remove(PERIOD_GAUGE);
    metrics.register(PASS_GAUGE, (Gauge<Double>) () -> passSeconds);
    metrics.register(PERIOD_GAUGE, (Gauge<Double>) () -> periodSeconds);
  }

  /** The DAS targets of every account, from the groups of {@code dao}. */
  public static Supplier<Map<String, Integer>> fromDao(CollectionDao dao) {
    return () -> {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (String group : dao.groups()) {
        if (group.startsWith("aliyun-")) {
          counts.put(group.substring("aliyun-".length()), dao.targets(group).size());
        }
      }
      return counts;
    };
  }

  /**
   * The shortest pass over every DAS target at the quota, in milliseconds (read again at most every 30 s), and a
   * warning when {@code periodMillis} is shorter.
   */
  public synchronized long minPassMillis(long periodMillis) {
    long now = System.currentTimeMillis();
    if (checkedAt == 0 || now - checkedAt >= RECHECK_MILLIS || periodMillis / 1000.0 != periodSeconds) {
      checkedAt = now;
      Map<String, Integer> counts = targetsPerAccount.get();
      passSeconds = quota.minPassSeconds(counts, CALLS_PER_TARGET);
      periodSeconds = periodMillis / 1000.0;
      warn(counts, now);
    }
    return (long) Math.ceil(passSeconds * 1000);
  }

  private void warn(Map<String, Integer> counts, long now) {
    if (passSeconds <= periodSeconds) {
      warnedTargets = -1;
      return;
    }
    int targets = counts.values().stream().mapToInt(Integer::intValue).sum();
    if (targets == warnedTargets && now - warnedAt < REWARN_MILLIS) {
      return;
    }
    warnedTargets = targets;
    warnedAt = now;
    LOG.warn("collection.dasPeriod {} s is shorter than a DAS pass needs: {} targets on {} accounts cost at least {} calls, "
        + "{} s at the DAS quota ({} calls/s shared by all accounts, {} per account; 0 = no limit); rounds run back to back "
        + "and each target is collected every ~{} s; set collection.dasPeriod to at least {} s",
        fmt(periodSeconds), targets, counts.size(), targets * CALLS_PER_TARGET, fmt(passSeconds), fmt(quota.sharedPerSecond()),
        fmt(quota.perAccountPerSecond()), fmt(passSeconds), (long) Math.ceil(passSeconds * 1.1));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.1f", v);
  }
}

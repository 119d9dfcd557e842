package io.rdsflow.activities.collect;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pace of DAS calls: a limit shared by the calls of every Alibaba Cloud account and a limit per account,
 * both honoured by every call. Seed 000 says DAS allows 60 calls/s and that the calls of different accounts
 * share that quota ("不同账号的实例调用会共享API调用配额"), so by default the shared limit is 60/s: five accounts
 * together send 60 calls/s, not 5 × 60. The per-account limit (also 60/s by default, then never the binding
 * one) is for a quota raised per account: set the shared limit to 0 to pace each account on its own.
 *
 * <p>Calls are spaced evenly, {@code 1/rate} apart, without a burst: a token bucket of the same rate on the
 * gateway (which keeps up to one second of tokens) never refuses them, and in no second do more than
 * {@code rate} calls leave (Guava's {@code RateLimiter} releases a stored second at once after an idle period
 * and lends one more permit, which a gateway bucket refuses: bench/collection/README.md). One reservation takes
 * both limits at once, so a call waits for the later of its account's and the shared slot.
 *
 * <p>The limits hold per process: several {@code server} processes each pace their own calls, so with N of
 * them collecting DAS groups the fleet may send up to N × the shared limit; the cloud then answers
 * {@code Throttling.User}, which is counted ({@code rdsflow_cloud_api_throttled_total}) and retried.
 * Divide the limit by the number of processes that collect when running several.
 */
public final class DasQuota {
  private final long sharedSpacingNanos;
  private final long accountSpacingNanos;
  private long sharedNext;
  private final Map<String, Long> accountNext = new HashMap<>();

  /**
   * @param sharedPerSecond calls per second of all accounts together; 0 or less = no shared limit
   * @param perAccountPerSecond calls per second of one account; 0 or less = no per-account limit
   */
  public DasQuota(double sharedPerSecond, double perAccountPerSecond) {
    this.sharedSpacingNanos = spacing(sharedPerSecond);
    this.accountSpacingNanos = spacing(perAccountPerSecond);
  }

  private static long spacing(double perSecond) {
    return perSecond > 0 ? Math.round(TimeUnit.SECONDS.toNanos(1) / perSecond) : 0;
  }

  /** Calls per second of all accounts together, 0 when unlimited. */
  public double sharedPerSecond() {
    return rate(sharedSpacingNanos);
  }

  /** Calls per second of one account, 0 when unlimited. */
  public double perAccountPerSecond() {
    return rate(accountSpacingNanos);
  }

  private static double rate(long spacingNanos) {
    return spacingNanos == 0 ? 0 : (double) TimeUnit.SECONDS.toNanos(1) / spacingNanos;
  }

  /**
   * Waits for the next slot of {@code uid} and returns the nanoseconds waited (the time a call spent queued
   * for the quota, which is not the target's fault and does not count against its timeout).
   */
  public long acquire(String uid) throws InterruptedException {
    long now = System.nanoTime();
    long slot = reserve(uid, now);
    long wait = slot - now;
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
    return Math.max(0, wait);
  }

  synchronized long reserve(String uid, long now) {
    long slot = now;
    if (sharedSpacingNanos > 0) {
      slot = Math.max(slot, sharedNext);
    }
    Long mine = accountNext.get(uid);
    if (accountSpacingNanos > 0 && mine != null) {
      slot = Math.max(slot, mine);
    }
    if (sharedSpacingNanos > 0) {
      sharedNext = slot + sharedSpacingNanos;
    }
    if (accountSpacingNanos > 0) {
      accountNext.put(uid, slot + accountSpacingNanos);
    }
    return slot;
  }

  /**
   * The shortest time one pass over every DAS target can take at these limits: the calls of all accounts at
   * the shared rate, or the busiest account's calls at the per-account rate, whichever is longer.
   *
   * @param targetsPerAccount DAS targets by account uid
   * @param callsPerTarget calls one target costs in a pass (2 when DAS has the result ready at the second call)
   */
  public double minPassSeconds(Map<String, Integer> targetsPerAccount, int callsPerTarget) {
    long total = 0;
    long busiest = 0;
    for (int n : targetsPerAccount.values()) {
      total += n;
      busiest = Math.max(busiest, n);
    }
    double shared = sharedSpacingNanos == 0 ? 0 : total * callsPerTarget / sharedPerSecond();
    double account = accountSpacingNanos == 0 ? 0 : busiest * callsPerTarget / perAccountPerSecond();
    return Math.max(shared, account);
  }
}

package io.rdsflow.testkit.aliyun;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flow control like the gateway's {@code Throttling.User}: one {@link TokenBucket} per
 * (account uid, API action). The rate is looked up per action, then the default; a rate of
 * 0 (or less) means unlimited. Burst capacity equals max(1, rate) unless set explicitly.
 * Changing a rate drops the existing buckets of that action so the new rate applies at once.
 * An action made {@linkplain #setShared shared} has one bucket for all accounts: DAS's quota, which seed 000
 * says the calls of every account share.
 */
public final class Throttler {

    private record Limit(double ratePerSecond, double burst) {
    }

    private static final Limit UNLIMITED = new Limit(0, 0);

    private volatile Limit defaultLimit = UNLIMITED;
    private final Map<String, Limit> perAction = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final java.util.Set<String> shared = ConcurrentHashMap.newKeySet();

    /** Default rate for every action without its own rate; {@code <= 0} = unlimited. */
    public Throttler setDefaultRate(double ratePerSecond) {
        defaultLimit = limit(ratePerSecond, Math.max(1, ratePerSecond));
        buckets.clear();
        return this;
    }

    /** Rate for one action (per account); {@code <= 0} = unlimited. */
    public Throttler setRate(String action, double ratePerSecond) {
        return setRate(action, ratePerSecond, Math.max(1, ratePerSecond));
    }

    /** Rate and burst capacity for one action (per account); rate {@code <= 0} = unlimited. */
    public Throttler setRate(String action, double ratePerSecond, double burst) {
        perAction.put(action, limit(ratePerSecond, burst));
        buckets.keySet().removeIf(k -> k.endsWith("\n" + action));
        return this;
    }

    /** One bucket of {@code action} for all accounts ({@code true}) or one per account (the default). */
    public Throttler setShared(String action, boolean sharedByAccounts) {
        if (sharedByAccounts) {
            shared.add(action);
        } else {
            shared.remove(action);
        }
        buckets.keySet().removeIf(k -> k.endsWith("\n" + action));
        return this;
    }

    /** Forgets the per-action rate, so the default applies again. */
    public Throttler clearRate(String action) {
        perAction.remove(action);
        buckets.keySet().removeIf(k -> k.endsWith("\n" + action));
        return this;
    }

    /** No limits at all. */
    public Throttler clearAll() {
        defaultLimit = UNLIMITED;
        perAction.clear();
        buckets.clear();
        return this;
    }

    /** The effective rate for an action ({@code 0} = unlimited). */
    public double rate(String action) {
        return perAction.getOrDefault(action, defaultLimit).ratePerSecond();
    }

    /** True when the call may proceed; false when it is to be answered with Throttling.User. */
    public boolean tryAcquire(String uid, String action) {
        Limit limit = perAction.getOrDefault(action, defaultLimit);
        if (limit.ratePerSecond() <= 0) {
            return true;
        }
        TokenBucket bucket = buckets.computeIfAbsent((shared.contains(action) ? "*" : uid) + "\n" + action,
                k -> new TokenBucket(limit.ratePerSecond(), limit.burst()));
        return bucket.tryAcquire();
    }

    private static Limit limit(double rate, double burst) {
        return rate <= 0 ? UNLIMITED : new Limit(rate, Math.max(1, burst));
    }
}

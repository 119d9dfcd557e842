package io.rdsflow.testkit.aliyun;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Per-test fault injection, keyed by API action ({@link #ANY} matches every action).
 * <ul>
 *   <li>{@link #failNext}: the next N calls are answered with a 5xx error (default
 *       {@code InternalError} 500) without being executed;</li>
 *   <li>{@link #failNextAfterApplying}: the next N calls that take effect (the action succeeds, state
 *       changes!) are answered with {@code InternalError} 500 instead of their result — the "response
 *       lost" case idempotency tokens are for. A call the action itself refuses (a 4xx of the
 *       simulated service) does not consume the fault: the next one that succeeds loses its answer;</li>
 *   <li>{@link #dropNext} / {@link #dropNextAfterApplying}: the socket is closed without any
 *       response (the SDK throws {@code TeaUnretryableException}). OkHttp (inside the SDK)
 *       silently re-sends a request, same signature and nonce, once when a <em>reused</em>
 *       keep-alive connection dies. {@code dropNext} forgets the nonce (the request "never
 *       arrived"), so one drop on a reused connection is invisible to the caller: inject 2 to
 *       make one SDK call fail for sure. After {@code dropNextAfterApplying} the nonce stays
 *       used, so OkHttp's re-send is answered {@code SignatureNonceUsed} (400) — what the real
 *       gateway would do when a processed request's response is lost;</li>
 *   <li>{@link #latency}: every call of the action is delayed (until cleared);</li>
 *   <li>{@link #randomServerErrors}: each call fails with probability p, with
 *       {@code InternalError} 500 or {@code ServiceUnavailable} 503, from a seeded Random, before
 *       it takes effect;</li>
 *   <li>{@link #randomAfterEffectFaults}: each <em>mutating</em> call that took effect loses its
 *       answer with probability p: a share of them (default half) by a dropped connection, the
 *       rest by {@code InternalError} 500 or {@code ServiceUnavailable} 503, from a second
 *       seeded Random.</li>
 * </ul>
 * Faults apply to authenticated, non-throttled calls. Specific-action faults are consumed
 * before {@link #ANY} faults; planned faults take precedence over random ones. Thread safe.
 */
public final class Faults {

    /** Wildcard action. */
    public static final String ANY = "*";

    /** What to do with one call. */
    public enum Kind { ERROR, DROP }

    /** When the fault strikes relative to executing the action. */
    public enum Phase { BEFORE, AFTER }

    /** A fault decided for one call. */
    public record Fault(Kind kind, Phase phase, OpenApiError error) {
    }

    private static final class Planned {
        final Fault fault;
        int remaining;

        Planned(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final Map<String, Deque<Planned>> planned = new HashMap<>();
    private final Map<String, Duration> latency = new HashMap<>();
    private final Map<String, Double> errorRate = new HashMap<>();
    private Random random = new Random(0);
    private double afterEffectRate;
    private double afterEffectDropShare = 0.5;
    private Random afterEffectRandom = new Random(0);
    private long injected;
    private long afterEffectInjected;

    // ---- configuration -------------------------------------------------------------------

    /** The next {@code times} calls of {@code action} fail with {@code InternalError} 500, not executed. */
    public Faults failNext(String action, int times) {
        return failNext(action, times, OpenApiError.internalError());
    }

    /** The next {@code times} calls of {@code action} fail with the given code/status, not executed. */
    public Faults failNext(String action, int times, String code, int httpStatus) {
        return failNext(action, times, new OpenApiError(httpStatus, code, "Injected fault: " + code));
    }

    public Faults failNext(String action, int times, OpenApiError error) {
        return plan(action, times, new Fault(Kind.ERROR, Phase.BEFORE, error));
    }

    /**
     * The next {@code times} calls that take effect are answered with {@code InternalError} 500
     * instead of their result (a call refused by the simulated service does not count).
     */
    public Faults failNextAfterApplying(String action, int times) {
        return plan(action, times, new Fault(Kind.ERROR, Phase.AFTER, OpenApiError.internalError()));
    }

    /** The next {@code times} calls get their connection closed without a response, not executed. */
    public Faults dropNext(String action, int times) {
        return plan(action, times, new Fault(Kind.DROP, Phase.BEFORE, null));
    }

    /**
     * The next {@code times} calls that take effect get their connection closed without a response
     * (a call refused by the simulated service does not count).
     */
    public Faults dropNextAfterApplying(String action, int times) {
        return plan(action, times, new Fault(Kind.DROP, Phase.AFTER, null));
    }

    /** Adds {@code delay} to every call of {@code action} ({@code Duration.ZERO} clears it). */
    public synchronized Faults latency(String action, Duration delay) {
        if (delay == null || delay.isZero() || delay.isNegative()) {
            latency.remove(action);
        } else {
            latency.put(action, delay);
        }
        return this;
    }

    /** Every call of every action fails with probability {@code p}; the Random is re-seeded. */
    public synchronized Faults randomServerErrors(double probability, long seed) {
        random = new Random(seed);
        return randomServerErrors(ANY, probability);
    }

    /** Calls of {@code action} fail with probability {@code p} ({@code 0} clears). */
    public synchronized Faults randomServerErrors(String action, double probability) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be within [0,1]");
        }
        if (probability == 0) {
            errorRate.remove(action);
        } else {
            errorRate.put(action, probability);
        }
        return this;
    }

    /**
     * Each mutating call (see {@link SimulatedRds#MUTATING_ACTIONS}) that took effect loses its
     * answer with probability {@code p}: half of them by a dropped connection, half by a 5xx.
     * {@code 0} clears. The Random of these faults is re-seeded (it is not the one of
     * {@link #randomServerErrors}).
     */
    public Faults randomAfterEffectFaults(double probability, long seed) {
        return randomAfterEffectFaults(probability, 0.5, seed);
    }

    /**
     * As {@link #randomAfterEffectFaults(double, long)}, with {@code dropShare} of the faults
     * dropping the connection (the rest answer {@code InternalError} 500 or
     * {@code ServiceUnavailable} 503); {@code dropShare} 0 = only 5xx, 1 = only drops.
     */
    public synchronized Faults randomAfterEffectFaults(double probability, double dropShare, long seed) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be within [0,1]");
        }
        if (dropShare < 0 || dropShare > 1) {
            throw new IllegalArgumentException("dropShare must be within [0,1]");
        }
        afterEffectRate = probability;
        afterEffectDropShare = dropShare;
        afterEffectRandom = new Random(seed ^ 0x5DEECE66DL);
        return this;
    }

    /** Probability of a random after-effect fault on a mutating call (0: none). */
    public synchronized double afterEffectRate() {
        return afterEffectRate;
    }

    /** Removes every planned fault, latency, random error rate and random after-effect rate. */
    public synchronized void clear() {
        planned.clear();
        latency.clear();
        errorRate.clear();
        afterEffectRate = 0;
    }

    /** Planned (not yet consumed) fault count for an action (not counting {@link #ANY}). */
    public synchronized int pending(String action) {
        Deque<Planned> q = planned.get(action);
        return q == null ? 0 : q.stream().mapToInt(p -> p.remaining).sum();
    }

    /** How many faults (errors and drops, planned or random, before or after the effect) have struck so far. */
    public synchronized long injectedCount() {
        return injected;
    }

    /** How many of {@link #injectedCount()} struck after the call took effect (its answer lost). */
    public synchronized long afterEffectCount() {
        return afterEffectInjected;
    }

    private synchronized Faults plan(String action, int times, Fault fault) {
        if (times <= 0) {
            throw new IllegalArgumentException("times must be > 0");
        }
        planned.computeIfAbsent(action, a -> new ArrayDeque<>()).addLast(new Planned(fault, times));
        return this;
    }

    // ---- decisions (used by the simulator) ------------------------------------------------

    /** Latency to add to a call of {@code action}. */
    synchronized Duration latencyFor(String action) {
        Duration specific = latency.getOrDefault(action, Duration.ZERO);
        Duration any = latency.getOrDefault(ANY, Duration.ZERO);
        return specific.compareTo(any) >= 0 ? specific : any;
    }

    /**
     * The fault to strike before {@code action} is executed, if any (consumed). A planned
     * after-effect fault at the head of the queue is left for {@link #afterEffect}.
     */
    synchronized Fault before(String action) {
        Deque<Planned> q = queueFor(action);
        if (q != null) {
            Planned p = q.peekFirst();
            if (p.fault.phase() != Phase.BEFORE) {
                return null;
            }
            consume(q);
            injected++;
            return p.fault;
        }
        Double p = errorRate.containsKey(action) ? errorRate.get(action) : errorRate.get(ANY);
        if (p != null && random.nextDouble() < p) {
            injected++;
            return new Fault(Kind.ERROR, Phase.BEFORE,
                    random.nextBoolean() ? OpenApiError.internalError() : OpenApiError.serviceUnavailable());
        }
        return null;
    }

    /**
     * The fault to strike after {@code action} took effect (succeeded), if any: a planned
     * after-effect fault (consumed), else, for a {@code mutating} action, a random one.
     */
    synchronized Fault afterEffect(String action, boolean mutating) {
        Deque<Planned> q = queueFor(action);
        if (q != null) {
            Planned p = q.peekFirst();
            if (p.fault.phase() != Phase.AFTER) {
                return null;
            }
            consume(q);
            injected++;
            afterEffectInjected++;
            return p.fault;
        }
        if (!mutating || afterEffectRate <= 0 || afterEffectRandom.nextDouble() >= afterEffectRate) {
            return null;
        }
        injected++;
        afterEffectInjected++;
        if (afterEffectRandom.nextDouble() < afterEffectDropShare) {
            return new Fault(Kind.DROP, Phase.AFTER, null);
        }
        return new Fault(Kind.ERROR, Phase.AFTER,
                afterEffectRandom.nextBoolean() ? OpenApiError.internalError() : OpenApiError.serviceUnavailable());
    }

    /** The queue whose head decides this call: the action's own, else {@link #ANY}'s; null when both are empty. */
    private Deque<Planned> queueFor(String action) {
        Deque<Planned> q = planned.get(action);
        if (q != null && !q.isEmpty()) {
            return q;
        }
        q = planned.get(ANY);
        return q != null && !q.isEmpty() ? q : null;
    }

    private static void consume(Deque<Planned> q) {
        Planned p = q.peekFirst();
        if (--p.remaining <= 0) {
            q.pollFirst();
        }
    }
}

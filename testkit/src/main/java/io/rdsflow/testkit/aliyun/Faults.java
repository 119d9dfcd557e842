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
 *   <li>{@link #failNextAfterApplying}: the next N calls are executed (state changes!) and then
 *       answered with the error — the "response lost" case idempotency tokens are for;</li>
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
 *       {@code InternalError} 500 or {@code ServiceUnavailable} 503, from a seeded Random.</li>
 * </ul>
 * Faults apply to authenticated, non-throttled calls. Specific-action faults are consumed
 * before {@link #ANY} faults. Thread safe.
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
    private long injected;

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

    /** The next {@code times} calls are executed, then answered with {@code InternalError} 500. */
    public Faults failNextAfterApplying(String action, int times) {
        return plan(action, times, new Fault(Kind.ERROR, Phase.AFTER, OpenApiError.internalError()));
    }

    /** The next {@code times} calls get their connection closed without a response, not executed. */
    public Faults dropNext(String action, int times) {
        return plan(action, times, new Fault(Kind.DROP, Phase.BEFORE, null));
    }

    /** The next {@code times} calls are executed, then their connection is closed without a response. */
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

    /** Removes every planned fault, latency and random error rate. */
    public synchronized void clear() {
        planned.clear();
        latency.clear();
        errorRate.clear();
    }

    /** Planned (not yet consumed) fault count for an action (not counting {@link #ANY}). */
    public synchronized int pending(String action) {
        Deque<Planned> q = planned.get(action);
        return q == null ? 0 : q.stream().mapToInt(p -> p.remaining).sum();
    }

    /** How many faults (errors and drops, planned or random) have struck so far. */
    public synchronized long injectedCount() {
        return injected;
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

    /** The fault for this call, if any; consumes planned faults. */
    synchronized Fault next(String action) {
        Fault f = take(action);
        if (f == null) {
            f = take(ANY);
        }
        if (f == null) {
            Double p = errorRate.containsKey(action) ? errorRate.get(action) : errorRate.get(ANY);
            if (p != null && random.nextDouble() < p) {
                f = new Fault(Kind.ERROR, Phase.BEFORE,
                        random.nextBoolean() ? OpenApiError.internalError() : OpenApiError.serviceUnavailable());
            }
        }
        if (f != null) {
            injected++;
        }
        return f;
    }

    private Fault take(String action) {
        Deque<Planned> q = planned.get(action);
        if (q == null || q.isEmpty()) {
            return null;
        }
        Planned p = q.peekFirst();
        if (--p.remaining <= 0) {
            q.pollFirst();
        }
        return p.fault;
    }
}

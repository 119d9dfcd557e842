package io.rdsflow.testkit.aliyun;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the calls the simulator answered: per action, per (action, outcome code) and
 * throttled calls. The outcome code is {@link #OK} for a 2xx answer, the error Code for a
 * 4xx/5xx answer and {@link #DROPPED} for a connection closed by fault injection; calls that took
 * effect before their answer was lost are also counted apart ({@link #lostAnswers}). Calls whose
 * {@code x-acs-action} header is missing are counted under {@code "-"}. Thread safe.
 */
public final class CallStats {

    public static final String OK = "OK";
    public static final String DROPPED = "ConnectionDropped";

    private final Map<String, LongAdder> perAction = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> perCode = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> throttled = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> lostAnswers = new ConcurrentHashMap<>();

    void record(String action, String outcome) {
        perAction.computeIfAbsent(action, a -> new LongAdder()).increment();
        perCode.computeIfAbsent(action, a -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, c -> new LongAdder()).increment();
        if ("Throttling.User".equals(outcome)) {
            throttled.computeIfAbsent(action, a -> new LongAdder()).increment();
        }
    }

    /** A call of {@code action} took effect and its answer was lost (it is also counted by its outcome). */
    void recordLostAnswer(String action) {
        lostAnswers.computeIfAbsent(action, a -> new LongAdder()).increment();
    }

    /** Calls of {@code action} that took effect but whose answer was a 5xx or a dropped connection. */
    public long lostAnswers(String action) {
        LongAdder a = lostAnswers.get(action);
        return a == null ? 0 : a.sum();
    }

    /** All calls of {@code action}, whatever the outcome. */
    public long calls(String action) {
        LongAdder a = perAction.get(action);
        return a == null ? 0 : a.sum();
    }

    /** Calls of {@code action} that ended with {@code code} ({@link #OK} for success). */
    public long calls(String action, String code) {
        Map<String, LongAdder> m = perCode.get(action);
        LongAdder a = m == null ? null : m.get(code);
        return a == null ? 0 : a.sum();
    }

    /** Calls of {@code action} that succeeded. */
    public long successes(String action) {
        return calls(action, OK);
    }

    public long totalCalls() {
        return perAction.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Calls answered with Throttling.User, all actions. */
    public long throttled() {
        return throttled.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long throttled(String action) {
        LongAdder a = throttled.get(action);
        return a == null ? 0 : a.sum();
    }

    /** {@code action -> (code -> count)}, sorted. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        perCode.forEach((action, codes) -> {
            Map<String, Long> m = new TreeMap<>();
            codes.forEach((code, n) -> m.put(code, n.sum()));
            out.put(action, m);
        });
        return out;
    }

    public void reset() {
        perAction.clear();
        perCode.clear();
        throttled.clear();
        lostAnswers.clear();
    }

    /** One line per action: {@code action total (code=n, ...)}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        snapshot().forEach((action, codes) -> sb.append(String.format("%-32s %8d  %s%n",
                action, codes.values().stream().mapToLong(Long::longValue).sum(), codes)));
        return sb.toString();
    }
}

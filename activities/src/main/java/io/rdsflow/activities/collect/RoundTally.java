package io.rdsflow.activities.collect;

import io.rdsflow.workflows.collect.RoundSummary;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the targets of one round ended, each exactly once: ok, or failed with its error. A target that never
 * ended (its collector interrupted: the round given up, the worker shutting down) is failed as
 * {@link #INTERRUPTED} by {@link #summary}, so {@code ok + failed} is always the number of targets.
 */
final class RoundTally {
  static final String INTERRUPTED = "interrupted";

  private final List<String> targets;
  private final Set<String> ok = ConcurrentHashMap.newKeySet();
  private final Map<String, String> failed = new ConcurrentHashMap<>();

  RoundTally(List<String> targetIds) {
    this.targets = List.copyOf(new LinkedHashSet<>(targetIds));
  }

  /** Counts {@code target} ok, unless it has ended already. */
  boolean ok(String target) {
    return !failed.containsKey(target) && ok.add(target);
  }

  /** Counts {@code target} failed with {@code error}; false when it has ended already (the first word wins). */
  boolean fail(String target, String error) {
    return !ok.contains(target) && failed.putIfAbsent(target, error == null ? "failed" : error) == null;
  }

  /** The targets that have not ended yet, in listing order. */
  List<String> open() {
    return targets.stream().filter(t -> !ok.contains(t) && !failed.containsKey(t)).toList();
  }

  /**
   * The round's summary: every open target failed as {@link #INTERRUPTED}; {@code extraErrors} (a failing
   * custom metric under {@code "<target id> custom_<name>"}, the target counting as ok) are reported unless
   * their target failed.
   */
  RoundSummary summary(String group, long round, long startedAtMillis, long durationMillis, Map<String, String> extraErrors) {
    open().forEach(t -> fail(t, INTERRUPTED));
    Map<String, String> reported = new TreeMap<>(extraErrors);
    reported.keySet().removeIf(k -> failed.containsKey(k.contains(" ") ? k.substring(0, k.indexOf(' ')) : k));
    reported.putAll(failed);
    return new RoundSummary(group, round, startedAtMillis, durationMillis, ok.size(), failed.size(), reported);
  }
}

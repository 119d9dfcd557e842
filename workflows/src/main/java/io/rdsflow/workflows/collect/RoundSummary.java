package io.rdsflow.workflows.collect;

import java.util.Map;

/** What one round did: when, how long, targets ok and failed, and each failing target's error. */
public record RoundSummary(String group, long round, long startedAtMillis, long durationMillis, int ok, int failed,
    Map<String, String> errors) {}

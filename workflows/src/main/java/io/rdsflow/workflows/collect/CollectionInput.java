package io.rdsflow.workflows.collect;

/**
 * The argument of {@link CollectionWorkflow}: the group, its round period, how many rounds one run
 * makes before it continues as new, and the number of the next round.
 */
public record CollectionInput(String group, long periodMillis, int roundsPerRun, long nextRound) {}

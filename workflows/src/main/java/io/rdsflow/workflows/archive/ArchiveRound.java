package io.rdsflow.workflows.archive;

/** What one round did: binlogs archived, whether it rotated the current one, the newest archived event (epoch s). */
public record ArchiveRound(int archived, boolean flushed, Long latestEventAt) {}

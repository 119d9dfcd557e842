package io.rdsflow.workflows.archive;

/**
 * How one instance's binlogs are archived: into {@code <archiveRoot>/<instanceId>/binlog/}, a round every
 * {@code intervalMillis}; the master's current binlog is rotated ({@code FLUSH BINARY LOGS}) once its first
 * transaction is {@code flushAfterSeconds} old, so the archive is at most about their sum behind.
 */
public record ArchiveInput(String instanceId, String archiveRoot, long intervalMillis, long flushAfterSeconds) {}

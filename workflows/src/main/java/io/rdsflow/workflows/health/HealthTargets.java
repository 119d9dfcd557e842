package io.rdsflow.workflows.health;

import io.rdsflow.workflows.domain.Role;

/**
 * What to watch now: the node serving as master ({@code writer}) from the slave's host, or why not
 * ({@code waitReason}: an operation runs, automatic failover is off, a node waits for a rebuild...);
 * {@code gone} when the instance no longer exists as a local master-slave pair. {@code rebuild}: the node
 * that waits for a rebuild (and {@code rebuildHost} its host) when that is the only reason to wait, so the
 * watch may rebuild it automatically; null otherwise (and in histories recorded before it existed).
 */
public record HealthTargets(boolean gone, String waitReason, Role writer, Role reader, String readerHost, Role rebuild,
    String rebuildHost) {}

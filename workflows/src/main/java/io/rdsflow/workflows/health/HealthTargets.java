package io.rdsflow.workflows.health;

import io.rdsflow.workflows.domain.Role;

/**
 * What to watch now: the node serving as master ({@code writer}) from the slave's host, or why not
 * ({@code waitReason}: an operation runs, automatic failover is off, a node waits for a rebuild...);
 * {@code gone} when the instance no longer exists as a local master-slave pair.
 */
public record HealthTargets(boolean gone, String waitReason, Role writer, Role reader, String readerHost) {}

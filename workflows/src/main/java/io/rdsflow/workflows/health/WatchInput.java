package io.rdsflow.workflows.health;

import io.rdsflow.workflows.domain.Role;

/** One watch: the writer probed from the reader's host until it is dead, the roles change, or {@code maxMillis}. */
public record WatchInput(String instanceId, Role writer, Role reader, long probeMillis, int failures, long maxMillis) {}

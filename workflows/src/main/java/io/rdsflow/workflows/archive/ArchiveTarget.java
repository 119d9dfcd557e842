package io.rdsflow.workflows.archive;

import io.rdsflow.workflows.domain.Role;

/** Whose binlogs a round archives: the node serving as master and its host; {@code gone}: the instance is no more. */
public record ArchiveTarget(boolean gone, Role writer, String host) {}

package io.rdsflow.service.api;

import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.Topology;
import java.time.Instant;
import java.util.List;

/**
 * An instance as {@code GET /v1/instances} shows it. {@code deletingSince}: while the status is DELETING
 * (a deletion, or a failed or cancelled creation removing what it built), when that removal began; null
 * otherwise. {@code error} then holds the cloud's last failing answer, if any. {@code collectors}: every built-in
 * collector and whether the instance's collection runs it (seed 001; a collector never switched is on).
 */
public record InstanceView(String instanceId, String name, Engine engine, String engineVersion, String minorVersion,
    Topology topology, InstanceStatus status, String aliyunUid, List<Endpoint> endpoints, String error, Instant createdAt,
    Instant deletingSince, java.util.Map<String, Boolean> collectors) {

  /** Where a role of the instance is reached. */
  public record Endpoint(Role role, String host, int port) {}
}

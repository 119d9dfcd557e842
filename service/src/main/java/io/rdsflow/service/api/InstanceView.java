package io.rdsflow.service.api;

import java.time.Instant;
import java.util.List;

/** An instance as {@code GET /v1/instances} shows it. */
public record InstanceView(String instanceId, String name, String engine, String engineVersion, String minorVersion,
    String topology, String status, String aliyunUid, List<Endpoint> endpoints, String error, Instant createdAt) {

  /** Where a role of the instance is reached. */
  public record Endpoint(String role, String host, int port) {}
}

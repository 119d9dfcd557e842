package io.rdsflow.service.api;

import java.util.Map;

/**
 * {@code PATCH /v1/instances/{id}}: what may change on a running instance: automatic failover, and the
 * collector switches ({@code {"processlist": false}}; merged into the stored ones, read by the next round).
 */
public record InstancePatch(Boolean autoFailover, Map<String, Boolean> collectors) {}

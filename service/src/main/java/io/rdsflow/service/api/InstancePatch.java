package io.rdsflow.service.api;

/** {@code PATCH /v1/instances/{id}}: what may change on a running instance. */
public record InstancePatch(Boolean autoFailover) {}

package io.rdsflow.service.api;

/**
 * {@code POST /v1/instances/{id}/operations}: {@code type} (switchover, failover, restart) and, for a
 * restart of one node, {@code node}: the role it serves in now ({@code master} or {@code slave}).
 */
public record OperationRequest(String type, String node) {}

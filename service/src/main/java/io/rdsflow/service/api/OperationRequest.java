package io.rdsflow.service.api;

/**
 * {@code POST /v1/instances/{id}/operations}: {@code type} (switchover, failover, restart, rebuild) and, for a
 * restart of one node or a rebuild, {@code node}: the role it serves in now ({@code master} or {@code slave};
 * a rebuild takes only the slave, and without it rebuilds the node marked for rebuild, else the slave); for
 * {@code modify-parameters} the {@code parameters} (name → value, as at creation); for an aliyun {@code resize}
 * {@code instanceClass} and/or {@code storageGb}.
 */
public record OperationRequest(String type, String node, java.util.Map<String, String> parameters, String instanceClass,
    Integer storageGb) {}

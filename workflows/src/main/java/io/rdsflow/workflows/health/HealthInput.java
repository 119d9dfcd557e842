package io.rdsflow.workflows.health;

/**
 * How an instance is watched: the master is probed every {@code probeMillis} and declared dead after
 * {@code failures} consecutive failed probes when the slave's IO thread lost it too.
 */
public record HealthInput(String instanceId, long probeMillis, int failures) {}

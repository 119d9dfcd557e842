package io.rdsflow.workflows.create;

/**
 * The argument of {@link CreateInstanceWorkflow}: what the plan depends on. The request itself
 * (accounts, passwords, parameters) stays in the metadata database.
 *
 * @param topology {@code single} or {@code master-slave}
 * @param engineVersion major.minor, e.g. {@code 10.11}
 */
public record CreateInput(String instanceId, String engine, String topology, String engineVersion, boolean timeZoneRequested) {
  public boolean masterSlave() {
    return "master-slave".equals(topology);
  }
}

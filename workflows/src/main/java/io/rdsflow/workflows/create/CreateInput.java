package io.rdsflow.workflows.create;

import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.Topology;
import io.rdsflow.workflows.steps.PlannedStep;
import java.util.List;

/**
 * The argument of {@link CreateInstanceWorkflow}: what the plan depends on, and the plan itself, computed
 * once by the service (the same rows it stored in {@code task_steps}), so a creation runs the plan it
 * started with whatever later code computes. The request itself (accounts, passwords, parameters) stays
 * in the metadata database.
 *
 * @param engine serialized as {@code local} or {@code aliyun}
 * @param topology serialized as {@code single} or {@code master-slave}
 * @param engineVersion major.minor, e.g. {@code 10.11}
 * @param plan the rows to run; null in histories recorded before the plan travelled with the input
 * @param restored whether the instance is a clone: its data comes from another instance's backup (and archived binlogs),
 *     not from an initialised data directory; false in histories recorded before clones existed
 */
public record CreateInput(String instanceId, Engine engine, Topology topology, String engineVersion, boolean timeZoneRequested,
    List<PlannedStep> plan, boolean restored) {
  public CreateInput(String instanceId, Engine engine, Topology topology, String engineVersion, boolean timeZoneRequested) {
    this(instanceId, engine, topology, engineVersion, timeZoneRequested, null, false);
  }

  public CreateInput asClone() {
    return new CreateInput(instanceId, engine, topology, engineVersion, timeZoneRequested, plan, true);
  }

  public CreateInput withPlan(List<PlannedStep> rows) {
    return new CreateInput(instanceId, engine, topology, engineVersion, timeZoneRequested, List.copyOf(rows), restored);
  }

  public boolean masterSlave() {
    return topology == Topology.MASTER_SLAVE;
  }
}

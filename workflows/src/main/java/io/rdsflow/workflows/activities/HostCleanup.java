package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Removes one node from its host: stops its server, removes its directory and config lines. */
@ActivityInterface
public interface HostCleanup {
  /** Idempotent: a node already gone is fine. */
  @ActivityMethod(name = "rdsflow_remove_node")
  StepResult removeNode(String instanceId, String role);

}

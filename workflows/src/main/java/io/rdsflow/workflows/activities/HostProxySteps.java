package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The seed's maxscale steps on the local engine: the instance's proxy (HAProxy) on the master's host,
 * with a writer endpoint that follows the master and a reader endpoint on the slave.
 */
@ActivityInterface
public interface HostProxySteps {
  /** Ports allocated, the proxy's health-check account created, the proxy started (both endpoints on the master). */
  @ActivityMethod(name = "do_wait_for_creating_maxscale_task_finish")
  StepResult doWaitForCreatingMaxscaleTaskFinish(StepInput in);

  /** The writer endpoint pointed at the node serving as master. */
  @ActivityMethod(name = "do_refresh_maxscale_link_topology")
  StepResult doRefreshMaxscaleLinkTopology(StepInput in);

  /** Waits until a login through the writer endpoint lands on the master. */
  @ActivityMethod(name = "do_wait_for_refreshing_maxscale_task_finish")
  StepResult doWaitForRefreshingMaxscaleTaskFinish(StepInput in);

  /** The slave added behind the reader endpoint; waits until a login through it lands on the slave. */
  @ActivityMethod(name = "do_add_readins_to_maxscale_config")
  StepResult doAddReadinsToMaxscaleConfig(StepInput in);
}

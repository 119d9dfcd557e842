package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.health.HealthTargets;
import io.rdsflow.workflows.operate.OperationInput;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The metadata side of automatic failover, on the control queue. */
@ActivityInterface
public interface HealthControl {
  @ActivityMethod(name = "rdsflow_health_targets")
  HealthTargets targets(String instanceId);

  /**
   * Claims the instance for an automatic failover; null when a guard rail refuses it (an operation
   * runs, automatic failover is off, one happened within 10 minutes) — logged and counted as suppressed.
   */
  @ActivityMethod(name = "rdsflow_claim_auto_failover")
  OperationInput claimAutoFailover(String instanceId, String evidence);

  /**
   * Claims the instance for an automatic rebuild of {@code node} (the one waiting for a rebuild); null when
   * it is not claimable now (an operation runs, the instance is not RUNNING, the node needs no rebuild).
   */
  @ActivityMethod(name = "rdsflow_claim_auto_rebuild")
  OperationInput claimAutoRebuild(String instanceId, io.rdsflow.workflows.domain.Role node);
}

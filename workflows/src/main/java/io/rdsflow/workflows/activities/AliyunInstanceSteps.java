package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Aliyun steps (queue {@code aliyun}, see {@link AliyunInitSteps}): the cloud instance and its endpoint. */
@ActivityInterface
public interface AliyunInstanceSteps {
  /** CreateDBInstance with a ClientToken derived from the instance id, then polls until Running (heartbeats). */
  @ActivityMethod(name = "do_create_single_tenant_ins_and_wait_finish")
  StepResult doCreateSingleTenantInsAndWaitFinish(StepInput in);

  /**
   * A clone's cloud instance: CloneDBInstance of the source's cloud instance with the cloud's BackupId of the chosen
   * backup or the RestoreTime (UTC), sent once (a lost answer is looked for before sending again), then polls until
   * Running. In place of {@code do_create_single_tenant_ins_and_wait_finish} in a clone's plan.
   */
  @ActivityMethod(name = io.rdsflow.workflows.create.AliyunPlan.CLONE)
  StepResult rdsflowCloneDbInstance(StepInput in);

  /** Publishes the endpoint: the connection string and port of the Running instance. */
  @ActivityMethod(name = "do_active_instance_for_install")
  StepResult doActiveInstanceForInstall(StepInput in);
}

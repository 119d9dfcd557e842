package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Removes the cloud instance behind an aliyun instance; used by compensation and by delete. */
@ActivityInterface
public interface CloudCleanup {
  /**
   * Deletes the cloud instance rdsflow created for {@code instanceId} and waits until it is gone. A
   * cloud instance still Creating is waited for first; one that never got created, or is gone already,
   * is fine. An instance registered with {@code POST /v1/instances/register} is only forgotten: rdsflow
   * did not create it and never deletes it.
   */
  @ActivityMethod(name = "rdsflow_delete_cloud_instance")
  StepResult deleteCloudInstance(String instanceId);
}

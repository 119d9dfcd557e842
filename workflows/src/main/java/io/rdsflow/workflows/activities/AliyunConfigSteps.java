package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Aliyun steps (queue {@code aliyun}, see {@link AliyunInitSteps}): the instance's whitelist and parameters. */
@ActivityInterface
public interface AliyunConfigSteps {
  /** ModifySecurityIps: the requested whitelist replaces the closed default one. */
  @ActivityMethod(name = "do_flush_user_whitelist")
  StepResult doFlushUserWhitelist(StepInput in);

  /** ModifyParameter, then waits until DescribeParameters shows the running values. */
  @ActivityMethod(name = "do_build_params")
  StepResult doBuildParams(StepInput in);
}

package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The seed's steps as the aliyun engine performs them through the RDS OpenAPI, first the checks. All
 * aliyun steps run on the task queue {@code aliyun}; their names repeat those of {@link ControlSteps} and
 * {@link HostAccountSteps} because activity types are registered per task queue, so the Temporal history
 * reads like the seed for both engines. Each step is idempotent: run again, it finds the cloud instance
 * created for its ClientToken, accounts and databases that exist already, parameters already applied.
 */
@ActivityInterface
public interface AliyunInitSteps {
  /** Loads the request, checks that its account exists and that its AccessKey secret can be opened. */
  @ActivityMethod(name = "do_init")
  StepResult doInit(StepInput in);

  /** Checks the requested accounts and databases against each other before anything is created. */
  @ActivityMethod(name = "do_check_accounts_and_dbs")
  StepResult doCheckAccountsAndDbs(StepInput in);
}

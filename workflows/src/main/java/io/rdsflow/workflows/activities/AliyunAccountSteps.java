package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Aliyun steps (queue {@code aliyun}, see {@link AliyunInitSteps}): accounts, databases and grants. */
@ActivityInterface
public interface AliyunAccountSteps {
  /** CreateAccount for every requested account, then waits until they are Available. */
  @ActivityMethod(name = "do_create_accounts")
  StepResult doCreateAccounts(StepInput in);

  /** CreateDatabase for every requested database, waits until Running, then GrantAccountPrivilege. */
  @ActivityMethod(name = "do_create_dbs")
  StepResult doCreateDbs(StepInput in);
}

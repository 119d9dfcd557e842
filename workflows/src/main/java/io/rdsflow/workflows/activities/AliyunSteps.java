package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The seed's steps as the aliyun engine performs them through the RDS OpenAPI. They run on the task
 * queue {@code aliyun}; the names repeat those of {@link ControlSteps} and {@link HostAccountSteps} because
 * activity types are registered per task queue, so the Temporal history reads like the seed for both
 * engines. Each step is idempotent: run again, it finds the cloud instance created for its ClientToken,
 * accounts and databases that exist already, parameters already applied.
 */
@ActivityInterface
public interface AliyunSteps {
  /** Loads the request, checks that its account exists and that its AccessKey secret can be opened. */
  @ActivityMethod(name = "do_init")
  StepResult doInit(StepInput in);

  /** Checks the requested accounts and databases against each other before anything is created. */
  @ActivityMethod(name = "do_check_accounts_and_dbs")
  StepResult doCheckAccountsAndDbs(StepInput in);

  /** CreateDBInstance with a ClientToken derived from the instance id, then polls until Running (heartbeats). */
  @ActivityMethod(name = "do_create_single_tenant_ins_and_wait_finish")
  StepResult doCreateSingleTenantInsAndWaitFinish(StepInput in);

  /** ModifySecurityIps: the requested whitelist replaces the closed default one. */
  @ActivityMethod(name = "do_flush_user_whitelist")
  StepResult doFlushUserWhitelist(StepInput in);

  /** ModifyParameter, then waits until DescribeParameters shows the running values. */
  @ActivityMethod(name = "do_build_params")
  StepResult doBuildParams(StepInput in);

  /** CreateAccount for every requested account, then waits until they are Available. */
  @ActivityMethod(name = "do_create_accounts")
  StepResult doCreateAccounts(StepInput in);

  /** CreateDatabase for every requested database, waits until Running, then GrantAccountPrivilege. */
  @ActivityMethod(name = "do_create_dbs")
  StepResult doCreateDbs(StepInput in);

  /** ModifyBackupPolicy and the {@code backup_plans} row. */
  @ActivityMethod(name = "do_insert_baklist")
  StepResult doInsertBaklist(StepInput in);

  /** Turns on DAS session collection for the instance (group {@code aliyun-<uid>}). */
  @ActivityMethod(name = "do_insert_instance_perf_table")
  StepResult doInsertInstancePerfTable(StepInput in);

  /** Publishes the endpoint: the connection string and port of the Running instance. */
  @ActivityMethod(name = "do_active_instance_for_install")
  StepResult doActiveInstanceForInstall(StepInput in);
}

package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Host steps of seed 003, accounts and privileges, on the node's host queue {@code host.<hostName>}. */
@ActivityInterface
public interface HostAccountSteps {
  /** Creates rdsflow's admin and monitor accounts on the master (they replicate). */
  @ActivityMethod(name = "do_initialize_mysql_account_by_master")
  StepResult doInitializeMysqlAccountByMaster(StepInput in);

  /** Creates the replication account with REPLICATION SLAVE on the master. */
  @ActivityMethod(name = "do_grant_master_by_master")
  StepResult doGrantMasterByMaster(StepInput in);

  /** The requested accounts, one per whitelist entry, with their privileges (on the master). */
  @ActivityMethod(name = "do_create_accounts")
  StepResult doCreateAccounts(StepInput in);

  /** The requested databases with their character sets (on the master). */
  @ActivityMethod(name = "do_create_dbs")
  StepResult doCreateDbs(StepInput in);

  /** Sets root@localhost's password to the stored one. */
  @ActivityMethod(name = "do_reset_root_password")
  StepResult doResetRootPassword(StepInput in);

  /** Drops every root account but root@localhost (socket only). */
  @ActivityMethod(name = "do_drop_root_account")
  StepResult doDropRootAccount(StepInput in);
}

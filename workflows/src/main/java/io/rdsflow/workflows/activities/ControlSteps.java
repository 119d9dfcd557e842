package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Steps of seed 003 that act on the metadata database; they run on the control task queue.
 * Each is idempotent: run again, it finds its own earlier rows.
 */
@ActivityInterface
public interface ControlSteps {
  /** Loads the request, chooses the hosts of master and slave, allocates their ports atomically. */
  @ActivityMethod(name = "do_init")
  StepResult doInit(StepInput in);

  /** Checks that the chosen hosts' server binaries serve the requested engine version. */
  @ActivityMethod(name = "do_ensure_minor_version")
  StepResult doEnsureMinorVersion(StepInput in);

  /** Parameter template + request overrides → {@code mycnf_custinstance}. */
  @ActivityMethod(name = "do_build_params")
  StepResult doBuildParams(StepInput in);

  /** rdsflow's maintenance accounts (admin, monitor) with generated, encrypted passwords. */
  @ActivityMethod(name = "do_calculate_maintain_user_list")
  StepResult doCalculateMaintainUserList(StepInput in);

  /** The replication account and topology in the metadata. */
  @ActivityMethod(name = "do_init_replicator_into_meta")
  StepResult doInitReplicatorIntoMeta(StepInput in);

  /** Records the exact server version the hosts run. */
  @ActivityMethod(name = "do_update_minor_version_in_metadb")
  StepResult doUpdateMinorVersionInMetadb(StepInput in);

  /** The admin whitelist: the addresses rdsflow's own accounts may connect from. */
  @ActivityMethod(name = "do_flush_admin_whitelist")
  StepResult doFlushAdminWhitelist(StepInput in);

  /** The user whitelist: the addresses the requested accounts may connect from. */
  @ActivityMethod(name = "do_flush_user_whitelist")
  StepResult doFlushUserWhitelist(StepInput in);

  /** Re-checks the requested accounts and databases against the metadata before creating them. */
  @ActivityMethod(name = "do_check_accounts_and_dbs")
  StepResult doCheckAccountsAndDbs(StepInput in);

  /** The backup plan (retention, preferred time). */
  @ActivityMethod(name = "do_insert_baklist")
  StepResult doInsertBaklist(StepInput in);

  /** The binlog retention plan. */
  @ActivityMethod(name = "do_insert_logplan")
  StepResult doInsertLogplan(StepInput in);

  /** Publishes the endpoints of the installed instance. */
  @ActivityMethod(name = "do_active_instance_for_install")
  StepResult doActiveInstanceForInstall(StepInput in);

  /** Marks the requested accounts Available. */
  @ActivityMethod(name = "do_update_ins_account_status")
  StepResult doUpdateInsAccountStatus(StepInput in);

  /** Registers the instance for collection with its monitor account. */
  @ActivityMethod(name = "do_insert_instance_perf_table")
  StepResult doInsertInstancePerfTable(StepInput in);
}

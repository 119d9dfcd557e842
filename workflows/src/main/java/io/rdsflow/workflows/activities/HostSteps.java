package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Steps of seed 003 that act on a host: files, processes and SQL of one node. They run on the task
 * queue {@code host.<hostName>} of the host holding the node named by {@code StepInput.role}.
 */
@ActivityInterface
public interface HostSteps {
  /** The node's port is free (or held by this node) and its directory absent (or this node's). */
  @ActivityMethod(name = "do_check_port_and_dir_exists_and_makesure_not_exist")
  StepResult doCheckPortAndDirExistsAndMakesureNotExist(StepInput in);

  /** Removes a leftover directory of this node from an earlier attempt. */
  @ActivityMethod(name = "do_rm_instance_dir_exists")
  StepResult doRmInstanceDirExists(StepInput in);

  /** Creates {@code data tmp log run binlog relay} and the ownership marker. */
  @ActivityMethod(name = "do_make_dir")
  StepResult doMakeDir(StepInput in);

  /** Writes the node's my.cnf from {@code mycnf_custinstance} and its role. */
  @ActivityMethod(name = "do_build_mysql_params")
  StepResult doBuildMysqlParams(StepInput in);

  @ActivityMethod(name = "do_init_mysql_db_master")
  StepResult doInitMysqlDbMaster(StepInput in);

  @ActivityMethod(name = "do_init_mysql_db_slave")
  StepResult doInitMysqlDbSlave(StepInput in);

  @ActivityMethod(name = "do_check_mysql_init_db_success_master")
  StepResult doCheckMysqlInitDbSuccessMaster(StepInput in);

  @ActivityMethod(name = "do_check_mysql_init_db_success_slave")
  StepResult doCheckMysqlInitDbSuccessSlave(StepInput in);

  @ActivityMethod(name = "do_start_instance_noblock_by_master")
  StepResult doStartInstanceNoblockByMaster(StepInput in);

  @ActivityMethod(name = "do_start_instance_noblock_by_slave")
  StepResult doStartInstanceNoblockBySlave(StepInput in);

  /** Waits until the server answers, then gives root its password and drops password-less roots. */
  @ActivityMethod(name = "do_check_start_instance_success_master")
  StepResult doCheckStartInstanceSuccessMaster(StepInput in);

  @ActivityMethod(name = "do_check_start_instance_success_slave")
  StepResult doCheckStartInstanceSuccessSlave(StepInput in);

  /** Creates rdsflow's admin and monitor accounts on the master (they replicate). */
  @ActivityMethod(name = "do_initialize_mysql_account_by_master")
  StepResult doInitializeMysqlAccountByMaster(StepInput in);

  /** Creates the replication account with REPLICATION SLAVE on the master. */
  @ActivityMethod(name = "do_grant_master_by_master")
  StepResult doGrantMasterByMaster(StepInput in);

  /** The master replicates from the slave (dual master). */
  @ActivityMethod(name = "do_install_duallmaster_master")
  StepResult doInstallDuallmasterMaster(StepInput in);

  /** The slave replicates from the master. */
  @ActivityMethod(name = "do_install_duallmaster_slave")
  StepResult doInstallDuallmasterSlave(StepInput in);

  @ActivityMethod(name = "do_check_slave_master")
  StepResult doCheckSlaveMaster(StepInput in);

  /** Both replication threads run and the slave has caught up with the master. */
  @ActivityMethod(name = "do_check_slave_slave")
  StepResult doCheckSlaveSlave(StepInput in);

  /** Last before RUNNING: the slave's threads run and it applied the master's whole GTID position. */
  @ActivityMethod(name = "rdsflow_confirm_slave_caught_up")
  StepResult confirmSlaveCaughtUp(StepInput in);

  /** The requested accounts, one per whitelist entry, with their privileges (on the master). */
  @ActivityMethod(name = "do_create_accounts")
  StepResult doCreateAccounts(StepInput in);

  /** The requested databases with their character sets (on the master). */
  @ActivityMethod(name = "do_create_dbs")
  StepResult doCreateDbs(StepInput in);

  /** Loads the system time zone tables (on the master; they replicate). */
  @ActivityMethod(name = "do_insert_time_zone_tables")
  StepResult doInsertTimeZoneTables(StepInput in);

  /** Sets the requested default time zone, live and in my.cnf. */
  @ActivityMethod(name = "do_reset_named_timezone_config")
  StepResult doResetNamedTimezoneConfig(StepInput in);

  /** Adds {@code <port> = 1} to the host's instance.conf, read by inspection tools. */
  @ActivityMethod(name = "do_add_port_to_instance_config")
  StepResult doAddPortToInstanceConfig(StepInput in);

  /** Sets root@localhost's password to the stored one. */
  @ActivityMethod(name = "do_reset_root_password")
  StepResult doResetRootPassword(StepInput in);

  /** Drops every root account but root@localhost (socket only). */
  @ActivityMethod(name = "do_drop_root_account")
  StepResult doDropRootAccount(StepInput in);

  /** The standby refuses writes: read_only live and in my.cnf. */
  @ActivityMethod(name = "do_set_server_readonly_for_guard_ins")
  StepResult doSetServerReadonlyForGuardIns(StepInput in);

  /** Writes a start/stop/status script for the node. */
  @ActivityMethod(name = "do_rebuild_initd")
  StepResult doRebuildInitd(StepInput in);

  /** Applies the node's resource limits to its running process. */
  @ActivityMethod(name = "do_config_resource")
  StepResult doConfigResource(StepInput in);

  /** Saves the resource limits where the start script applies them. */
  @ActivityMethod(name = "do_persist_resource_config")
  StepResult doPersistResourceConfig(StepInput in);

  @ActivityMethod(name = "do_write_insname_to_file")
  StepResult doWriteInsnameToFile(StepInput in);

  @ActivityMethod(name = "do_flush_insinfo_file")
  StepResult doFlushInsinfoFile(StepInput in);

  /** Checks that the running server has every custom parameter's value. */
  @ActivityMethod(name = "do_persis_custins_param")
  StepResult doPersisCustinsParam(StepInput in);

  /** A first full backup, recorded in {@code backup_plans}. */
  @ActivityMethod(name = "do_start_create_new_backup")
  StepResult doStartCreateNewBackup(StepInput in);
}

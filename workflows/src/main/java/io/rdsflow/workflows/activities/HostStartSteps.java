package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Host steps of seed 003, server initialisation and start, on the node's host queue {@code host.<hostName>}. */
@ActivityInterface
public interface HostStartSteps {
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

  /**
   * Waits until the server answers, then gives root its password and drops password-less roots. The
   * seed's heading spells the master's step do_check_start_instnace_success_master; it is named like its
   * _slave twin.
   */
  @ActivityMethod(name = "do_check_start_instance_success_master")
  StepResult doCheckStartInstanceSuccessMaster(StepInput in);

  @ActivityMethod(name = "do_check_start_instance_success_slave")
  StepResult doCheckStartInstanceSuccessSlave(StepInput in);
}

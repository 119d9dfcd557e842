package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Host steps of seed 003, directories and configuration: the node's port and directory are checked,
 * cleared, created, and its my.cnf written. Like every host step they run on the task queue
 * {@code host.<hostName>} of the host holding the node named by {@code StepInput.role}.
 */
@ActivityInterface
public interface HostDirectorySteps {
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
}

package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Host steps of seed 003, replication between master and slave, on the node's host queue {@code host.<hostName>}. */
@ActivityInterface
public interface HostReplicationSteps {
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

  /** The standby refuses writes: read_only live and in my.cnf. */
  @ActivityMethod(name = "do_set_server_readonly_for_guard_ins")
  StepResult doSetServerReadonlyForGuardIns(StepInput in);
}

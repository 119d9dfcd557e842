package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Host steps of seed 003, the host's files and the node's resources, on the node's host queue {@code host.<hostName>}. */
@ActivityInterface
public interface HostFileSteps {
  /** Adds {@code <port> = 1} to the host's instance.conf, read by inspection tools. */
  @ActivityMethod(name = "do_add_port_to_instance_config")
  StepResult doAddPortToInstanceConfig(StepInput in);

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
}

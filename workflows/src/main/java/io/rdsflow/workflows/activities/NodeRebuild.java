package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The host steps of a rebuild (see {@code OperationPlans.rebuild}), each on the task queue of the host of
 * the node it acts on. The copy travels through the instance's staging directory
 * {@code <baseDir>/<instanceId>/.rebuild}, which the hosts share.
 */
@ActivityInterface
public interface NodeRebuild {
  /**
   * On the writer: {@code mariadb-backup --backup --stream=xbstream | zstd} into the staging directory;
   * reports the file and the GTID position the copy is consistent at as facts.
   */
  @ActivityMethod(name = "rdsflow_copy_master_for_rebuild")
  OperationStepResult copyWriter(OperationStepInput in);

  /**
   * On the rebuilt node: server stopped, data moved aside, the copy extracted and prepared as the data
   * directory, started read-only, {@code gtid_slave_pos} set to the copy's GTID, replicating from the
   * writer until it applied the writer's current position; the old data and the copy removed.
   */
  @ActivityMethod(name = "rdsflow_restore_node_from_copy")
  OperationStepResult restoreFromCopy(OperationStepInput in);

  /** On the writer: replicates from the rebuilt node again (dual-master), both threads running. */
  @ActivityMethod(name = "rdsflow_replicate_from_rebuilt_node")
  OperationStepResult followRebuiltNode(OperationStepInput in);

  /**
   * The host of {@code node} answers (its agent takes tasks): the automatic rebuild tries only then. Not
   * an operation step; returns what it found.
   */
  @ActivityMethod(name = "rdsflow_rebuild_host_answers")
  String hostAnswers(String instanceId, Role node);
}

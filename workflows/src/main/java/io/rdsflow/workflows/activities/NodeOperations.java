package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Operation steps on one node, on the task queue of the node's host (see {@code OperationPlans}). */
@ActivityInterface
public interface NodeOperations {
  /** The node's replication runs (both threads): a switchover to it may start. */
  @ActivityMethod(name = "rdsflow_check_replica")
  OperationStepResult checkReplica(OperationStepInput in);

  /** read_only live and in my.cnf, client sessions ended; reports the GTID position it stopped at. */
  @ActivityMethod(name = "rdsflow_stop_writes")
  OperationStepResult stopWrites(OperationStepInput in);

  /** Waits until the node applied everything up to the position the old writer stopped at. */
  @ActivityMethod(name = "rdsflow_wait_replica_applied")
  OperationStepResult waitReplicaApplied(OperationStepInput in);

  /** read_only off live and in my.cnf: the node takes writes. */
  @ActivityMethod(name = "rdsflow_open_writes")
  OperationStepResult openWrites(OperationStepInput in);

  /** From the replica: the writer does not answer and the replica's IO thread lost it too. */
  @ActivityMethod(name = "rdsflow_confirm_master_down")
  OperationStepResult confirmMasterDown(OperationStepInput in);

  /** The replica stops replicating from the lost writer and forgets it. */
  @ActivityMethod(name = "rdsflow_detach_replica")
  OperationStepResult detachReplica(OperationStepInput in);

  /** The old writer can never take writes again: read_only in my.cnf, live if it runs, replication stopped. */
  @ActivityMethod(name = "rdsflow_fence_node")
  OperationStepResult fenceNode(OperationStepInput in);

  /** The instance's proxy pointed at the nodes serving as master and slave now (on the proxy's host). */
  @ActivityMethod(name = "rdsflow_point_proxy")
  OperationStepResult pointProxy(OperationStepInput in);

  /** The node's server stopped and started again, read_only as its role wants, replication running. */
  @ActivityMethod(name = "rdsflow_restart_node")
  OperationStepResult restartNode(OperationStepInput in);
}

package io.rdsflow.workflows.steps;

/** Where a step runs. */
public enum Target {
  /** The control task queue: metadata work. */
  CONTROL,
  /** The agent of the host holding the master node. */
  MASTER_HOST,
  /** The agent of the host holding the slave node. */
  SLAVE_HOST,
  /** The cloud API task queue. */
  ALIYUN,
  /** Not run: recorded as SKIPPED with its reason. */
  NONE
}

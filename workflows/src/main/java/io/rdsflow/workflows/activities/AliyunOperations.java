package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.operate.AliyunOperationPlans;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Operation steps on an aliyun instance, on the {@code aliyun} task queue (see {@link AliyunOperationPlans}). */
@ActivityInterface
public interface AliyunOperations {
  /** The cloud instance is Running with a Master and a Slave node; reports both node ids as facts. */
  @ActivityMethod(name = AliyunOperationPlans.CHECK_HA)
  OperationStepResult checkCloudHa(OperationStepInput in);

  /** SwitchDBInstanceHA to the standby node the check reported, unless an earlier try switched already. */
  @ActivityMethod(name = AliyunOperationPlans.SWITCH_HA)
  OperationStepResult switchCloudHa(OperationStepInput in);

  /** RestartDBInstance of the whole instance, with the operation's ClientToken. */
  @ActivityMethod(name = AliyunOperationPlans.RESTART)
  OperationStepResult restartCloudInstance(OperationStepInput in);

  /** Waits until the instance is Running again and, after a switchover, another node is its Master. */
  @ActivityMethod(name = AliyunOperationPlans.WAIT_RUNNING)
  OperationStepResult waitCloudRunning(OperationStepInput in);
}

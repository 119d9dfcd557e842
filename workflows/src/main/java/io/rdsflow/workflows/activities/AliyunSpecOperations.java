package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Parameter and spec changes of an aliyun instance, on the aliyun queue (see {@code SpecChangePlans}). */
@ActivityInterface
public interface AliyunSpecOperations {
  /** ModifyParameter with the operation's parameters (Forcerestart), then DescribeParameters until they run. */
  @ActivityMethod(name = "rdsflow_modify_cloud_parameters")
  OperationStepResult modifyCloudParameters(OperationStepInput in);

  /** ModifyDBInstanceSpec with the operation's class and/or storage (sent once, also when retried). */
  @ActivityMethod(name = "rdsflow_resize_cloud_instance")
  OperationStepResult resizeCloudInstance(OperationStepInput in);

  /** UpgradeDBInstanceKernelVersion to the newest minor version (sent once, also when retried). */
  @ActivityMethod(name = "rdsflow_upgrade_cloud_minor_version")
  OperationStepResult upgradeCloudMinorVersion(OperationStepInput in);

  /** DescribeDBInstanceAttribute until Running with the requested class and storage, or another kernel version. */
  @ActivityMethod(name = "rdsflow_wait_cloud_spec")
  OperationStepResult waitCloudSpec(OperationStepInput in);
}

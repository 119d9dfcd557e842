package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.operate.AliyunOperationPlans;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The {@code backup} operation of an aliyun instance, on the {@code aliyun} queue (see {@link AliyunOperationPlans#backup()}). */
@ActivityInterface
public interface AliyunBackupOperations {
  /**
   * CreateBackup (Physical, FullBackup) of the cloud instance, once per operation (a retried step finds the job id in the
   * backup's row); the row is RUNNING (node {@code instance}, method {@code aliyun-physical}). Reports the row's id and
   * the cloud's BackupJobId as facts.
   */
  @ActivityMethod(name = AliyunOperationPlans.CREATE_BACKUP)
  OperationStepResult createCloudBackup(OperationStepInput in);

  /**
   * DescribeBackupTasks until the job is Finished (or Failed: the row FAILED), then DescribeBackups of its BackupId: the
   * row SUCCEEDED with the cloud's BackupId and size.
   */
  @ActivityMethod(name = AliyunOperationPlans.WAIT_BACKUP)
  OperationStepResult waitCloudBackup(OperationStepInput in);
}

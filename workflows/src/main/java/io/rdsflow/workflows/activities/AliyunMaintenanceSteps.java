package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Aliyun steps (queue {@code aliyun}, see {@link AliyunInitSteps}): backup policy and monitoring. */
@ActivityInterface
public interface AliyunMaintenanceSteps {
  /** ModifyBackupPolicy and the {@code backup_plans} row. */
  @ActivityMethod(name = "do_insert_baklist")
  StepResult doInsertBaklist(StepInput in);

  /** Turns on DAS session collection for the instance (group {@code aliyun-<uid>}). */
  @ActivityMethod(name = "do_insert_instance_perf_table")
  StepResult doInsertInstancePerfTable(StepInput in);
}

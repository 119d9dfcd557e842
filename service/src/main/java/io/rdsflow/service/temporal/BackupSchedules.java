package io.rdsflow.service.temporal;

import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.backup.BackupScheduleWorkflow;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/** The supervisor of the backup schedules: one {@link BackupScheduleWorkflow} per RUNNING local instance. */
public final class BackupSchedules {
  private BackupSchedules() {}

  public static InstanceWorkflowSupervisor supervisor(WorkflowClient client, InstanceDao instances) {
    return new InstanceWorkflowSupervisor("backup schedule", instances,
        i -> i.engine() == Engine.LOCAL && i.status() == InstanceStatus.RUNNING,
        id -> WorkflowClient.start(client.newWorkflowStub(BackupScheduleWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(BackupScheduleWorkflow.workflowId(id)).setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).build())::run, id));
  }
}

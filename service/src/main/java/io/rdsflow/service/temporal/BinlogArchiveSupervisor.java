package io.rdsflow.service.temporal;

import io.dropwizard.lifecycle.Managed;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.archive.ArchiveInput;
import io.rdsflow.workflows.archive.BinlogArchiveWorkflow;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Keeps one {@link BinlogArchiveWorkflow} per RUNNING local instance (see {@link InstanceWorkflowSupervisor}): a new
 * instance, or a Temporal that lost its state, gets its archive within seconds; the fixed workflow id makes a second
 * start a no-op.
 */
public final class BinlogArchiveSupervisor implements Managed {
  private final InstanceWorkflowSupervisor supervisor;

  public BinlogArchiveSupervisor(WorkflowClient client, InstanceDao instances, Path archiveRoot, Duration interval,
      Duration flushAfter) {
    this.supervisor = new InstanceWorkflowSupervisor("binlog archive", instances,
        i -> i.engine() == Engine.LOCAL && i.status() == InstanceStatus.RUNNING,
        id -> WorkflowClient.start(client.newWorkflowStub(BinlogArchiveWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(BinlogArchiveWorkflow.workflowId(id)).setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).build())::archive,
            new ArchiveInput(id, archiveRoot.toString(), interval.toMillis(), flushAfter.toSeconds())));
  }

  @Override
  public void start() {
    supervisor.start();
  }

  @Override
  public void stop() {
    supervisor.stop();
  }
}

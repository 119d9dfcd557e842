package io.rdsflow.service.temporal;

import io.dropwizard.lifecycle.Managed;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.health.HealthInput;
import io.rdsflow.workflows.health.HealthWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;

/**
 * Keeps one {@link HealthWorkflow} per RUNNING local master-slave instance (see {@link InstanceWorkflowSupervisor}):
 * at start-up and every few seconds it starts the watch of each such instance that has none (a new instance, a
 * Temporal that lost its state). Several servers may run this: the fixed workflow id makes the second start a no-op.
 */
public final class HealthSupervisor implements Managed {
  private final InstanceWorkflowSupervisor supervisor;

  public HealthSupervisor(WorkflowClient client, InstanceDao instances, Duration probeInterval, int failures) {
    this.supervisor = new InstanceWorkflowSupervisor("health watch", instances,
        i -> i.engine() == Engine.LOCAL && i.masterSlave() && i.status() == InstanceStatus.RUNNING,
        id -> WorkflowClient.start(client.newWorkflowStub(HealthWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(HealthWorkflow.workflowId(id)).setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).build())::watch,
            new HealthInput(id, probeInterval.toMillis(), failures)));
  }

  @Override
  public void start() {
    supervisor.start();
  }

  /** Starts the watch of every RUNNING local master-slave instance that has none. */
  public void ensureAll() {
    supervisor.ensureAll();
  }

  @Override
  public void stop() {
    supervisor.stop();
  }
}

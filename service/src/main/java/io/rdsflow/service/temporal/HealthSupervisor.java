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
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link HealthWorkflow} per RUNNING local master-slave instance: at start-up and every few
 * seconds it starts the watch of each such instance that has none (a new instance, a Temporal that
 * lost its state). Several servers may run this: the fixed workflow id makes the second start a no-op.
 */
public final class HealthSupervisor implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(HealthSupervisor.class);

  private final WorkflowClient client;
  private final InstanceDao instances;
  private final Duration probeInterval;
  private final int failures;
  private ScheduledExecutorService timer;

  public HealthSupervisor(WorkflowClient client, InstanceDao instances, Duration probeInterval, int failures) {
    this.client = client;
    this.instances = instances;
    this.probeInterval = probeInterval;
    this.failures = failures;
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "health-supervisor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::ensureAll, 0, 5, TimeUnit.SECONDS);
  }

  /** Starts the watch of every RUNNING local master-slave instance that has none. */
  public void ensureAll() {
    try {
      for (InstanceDao.Instance i : instances.list()) {
        if (i.engine() == Engine.LOCAL && i.masterSlave() && i.status() == InstanceStatus.RUNNING) {
          ensure(i.id());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not check the health workflows: {}", e.getMessage());
    }
  }

  private void ensure(String instanceId) {
    HealthWorkflow wf = client.newWorkflowStub(HealthWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(HealthWorkflow.workflowId(instanceId)).setTaskQueue(TaskQueues.CONTROL)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).build());
    try {
      WorkflowClient.start(wf::watch, new HealthInput(instanceId, probeInterval.toMillis(), failures));
      LOG.info("[{}] health watch started: master probed every {} ms, dead after {} failed probes", instanceId,
          probeInterval.toMillis(), failures);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // watched already
    }
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}

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
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link BinlogArchiveWorkflow} per RUNNING local instance: every few seconds it starts the archive of
 * each such instance that has none (a new instance, a Temporal that lost its state); the fixed workflow id makes a
 * second start a no-op.
 */
public final class BinlogArchiveSupervisor implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(BinlogArchiveSupervisor.class);

  private final WorkflowClient client;
  private final InstanceDao instances;
  private final Path archiveRoot;
  private final Duration interval;
  private final Duration flushAfter;
  private ScheduledExecutorService timer;

  public BinlogArchiveSupervisor(WorkflowClient client, InstanceDao instances, Path archiveRoot, Duration interval,
      Duration flushAfter) {
    this.client = client;
    this.instances = instances;
    this.archiveRoot = archiveRoot;
    this.interval = interval;
    this.flushAfter = flushAfter;
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "binlog-archive-supervisor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::ensureAll, 0, 5, TimeUnit.SECONDS);
  }

  private void ensureAll() {
    try {
      instances.list().stream().filter(i -> i.engine() == Engine.LOCAL && i.status() == InstanceStatus.RUNNING)
          .forEach(i -> ensure(i.id()));
    } catch (RuntimeException e) {
      LOG.warn("Could not check the binlog archive workflows: {}", e.getMessage());
    }
  }

  private void ensure(String instanceId) {
    BinlogArchiveWorkflow wf = client.newWorkflowStub(BinlogArchiveWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(BinlogArchiveWorkflow.workflowId(instanceId)).setTaskQueue(TaskQueues.CONTROL)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).build());
    try {
      WorkflowClient.start(wf::archive, new ArchiveInput(instanceId, archiveRoot.toString(), interval.toMillis(),
          flushAfter.toSeconds()));
      LOG.info("[{}] binlog archive started into {}", instanceId, archiveRoot.resolve(instanceId).resolve("binlog"));
    } catch (WorkflowExecutionAlreadyStarted e) {
      // archived already
    }
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}

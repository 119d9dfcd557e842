package io.rdsflow.service.temporal;

import io.dropwizard.lifecycle.Managed;
import io.rdsflow.activities.collect.CollectionDao;
import io.rdsflow.service.config.CollectionConfig;
import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.collect.CollectionInput;
import io.rdsflow.workflows.collect.CollectionWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link CollectionWorkflow} running per group: at start-up and every 30 s it starts the
 * workflow of each group that has none (a new Alibaba Cloud account, a Temporal that lost its
 * state). Several servers may run this: the fixed workflow id makes the second start a no-op.
 */
public final class CollectionSupervisor implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionSupervisor.class);

  private final WorkflowClient client;
  private final CollectionDao dao;
  private final CollectionConfig config;
  private ScheduledExecutorService timer;

  public CollectionSupervisor(WorkflowClient client, CollectionDao dao, CollectionConfig config) {
    this.client = client;
    this.dao = dao;
    this.config = config;
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "collection-supervisor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::ensureAll, 0, 30, TimeUnit.SECONDS);
  }

  /** Starts the workflow of every group that has none running. */
  public void ensureAll() {
    try {
      for (String group : dao.groups()) {
        ensure(group);
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not check the collection workflows: {}", e.getMessage());
    }
  }

  public void ensure(String group) {
    long period = (group.startsWith("aliyun-") ? config.dasPeriod : config.jdbcPeriod).toMilliseconds();
    CollectionWorkflow wf = client.newWorkflowStub(CollectionWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(CollectionWorkflow.workflowId(group)).setTaskQueue(TaskQueues.COLLECT)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).build());
    try {
      WorkflowClient.start(wf::run, new CollectionInput(group, period, config.roundsPerRun, 1));
      LOG.info("Collection of group {} started every {} ms", group, period);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // running already
    }
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}

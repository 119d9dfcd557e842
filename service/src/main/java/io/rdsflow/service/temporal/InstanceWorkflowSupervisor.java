package io.rdsflow.service.temporal;

import io.dropwizard.lifecycle.Managed;
import io.rdsflow.activities.meta.InstanceDao;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one long-running workflow per instance that {@code applies}: at start-up and every few seconds it starts the
 * workflow of each such instance that has none (a new instance, a Temporal that lost its state). {@code start} starts
 * it under a fixed workflow id, so a second start (another server, or one still running) is a no-op.
 */
public final class InstanceWorkflowSupervisor implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceWorkflowSupervisor.class);

  private final String name;
  private final InstanceDao instances;
  private final Predicate<InstanceDao.Instance> applies;
  private final Consumer<String> start;
  private ScheduledExecutorService timer;

  public InstanceWorkflowSupervisor(String name, InstanceDao instances, Predicate<InstanceDao.Instance> applies,
      Consumer<String> start) {
    this.name = name;
    this.instances = instances;
    this.applies = applies;
    this.start = start;
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name + "-supervisor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::ensureAll, 0, 5, TimeUnit.SECONDS);
  }

  /** Starts the workflow of every instance it applies to that has none. */
  public void ensureAll() {
    try {
      for (InstanceDao.Instance i : instances.list()) {
        if (applies.test(i)) {
          try {
            start.accept(i.id());
            LOG.info("[{}] {} started", i.id(), name);
          } catch (WorkflowExecutionAlreadyStarted e) {
            // kept already
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not check the {} workflows: {}", name, e.getMessage());
    }
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}

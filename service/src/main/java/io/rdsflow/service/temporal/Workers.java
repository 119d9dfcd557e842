package io.rdsflow.service.temporal;

import io.dropwizard.lifecycle.Managed;
import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The process's Temporal workers: started after migrations, drained on stop. */
public final class Workers implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

  private final WorkerFactory factory;
  private final String description;

  public Workers(WorkerFactory factory, String description) {
    this.factory = factory;
    this.description = description;
  }

  public WorkerFactory factory() {
    return factory;
  }

  public boolean isRunning() {
    return factory.isStarted() && !factory.isShutdown() && !factory.isTerminated();
  }

  @Override
  public void start() {
    factory.start();
    LOG.info("Temporal workers started: {}", description);
  }

  @Override
  public void stop() {
    factory.shutdown();
    factory.awaitTermination(30, TimeUnit.SECONDS);
    if (!factory.isTerminated()) {
      LOG.warn("Workers did not drain in 30 s; stopping them now");
      factory.shutdownNow();
    }
  }
}

package io.rdsflow.service.health;

import com.codahale.metrics.health.HealthCheck;
import io.rdsflow.service.temporal.Workers;

/** This process's workers are polling. */
public final class WorkersHealthCheck extends HealthCheck {
  private final Workers workers;

  public WorkersHealthCheck(Workers workers) {
    this.workers = workers;
  }

  @Override
  protected Result check() {
    return workers.isRunning() ? Result.healthy() : Result.unhealthy("workers are not running");
  }
}

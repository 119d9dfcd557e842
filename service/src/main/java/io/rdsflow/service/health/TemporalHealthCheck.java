package io.rdsflow.service.health;

import com.codahale.metrics.health.HealthCheck;
import io.rdsflow.service.temporal.TemporalRuntime;

/** The Temporal frontend answers. */
public final class TemporalHealthCheck extends HealthCheck {
  private final TemporalRuntime temporal;

  public TemporalHealthCheck(TemporalRuntime temporal) {
    this.temporal = temporal;
  }

  @Override
  protected Result check() {
    temporal.ping();
    return Result.healthy(temporal.target());
  }
}

package io.rdsflow.service.health;

import com.codahale.metrics.health.HealthCheck;
import io.rdsflow.service.db.MetadataDatabase;

/** The metadata database answers. */
public final class DatabaseHealthCheck extends HealthCheck {
  private final MetadataDatabase db;

  public DatabaseHealthCheck(MetadataDatabase db) {
    this.db = db;
  }

  @Override
  protected Result check() throws Exception {
    db.ping();
    return Result.healthy(db.isEmbedded() ? "embedded" : "external");
  }
}

package io.rdsflow.service.temporal;

import com.codahale.metrics.MetricRegistry;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.db.MetadataDatabase;
import io.temporal.worker.WorkerFactory;

/** Registers the workflows and activities this process runs, per task queue. */
public final class WorkerSetup {
  private WorkerSetup() {}

  public static Workers create(RdsflowConfiguration config, TemporalRuntime temporal, MetadataDatabase db,
      SecretCipher cipher, MetricRegistry metrics) {
    WorkerFactory factory = WorkerFactory.newInstance(temporal.client());
    return new Workers(factory, "none yet");
  }
}

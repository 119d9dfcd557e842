package io.rdsflow.service.temporal;

import com.codahale.metrics.MetricRegistry;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.local.HostContext;
import io.rdsflow.activities.meta.HostDao;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.crypto.EncryptionSetup;
import io.rdsflow.service.db.MetadataDatabase;
import io.rdsflow.workflows.TaskQueues;

/**
 * The workers of one database host, without the REST API: used by the {@code agent} command and by
 * tests that run several hosts on one machine.
 */
public final class Agent implements AutoCloseable {
  private final MetadataDatabase db;
  private final TemporalRuntime temporal;
  private final Workers workers;
  private final HostRegistration registration;
  private final HostContext host;

  private Agent(MetadataDatabase db, TemporalRuntime temporal, Workers workers, HostRegistration registration, HostContext host) {
    this.db = db;
    this.temporal = temporal;
    this.workers = workers;
    this.registration = registration;
    this.host = host;
  }

  public static Agent start(RdsflowConfiguration config, MetricRegistry metrics) throws Exception {
    if (config.temporal.embedded() || config.database.embedded()) {
      throw new IllegalArgumentException("an agent joins the servers' Temporal and metadata database:"
          + " set temporal.target and database.url (with database.user, database.password)");
    }
    MetadataDatabase db = MetadataDatabase.open(config, metrics);
    try {
      SecretCipher cipher = EncryptionSetup.open(config, db);
      TemporalRuntime temporal = TemporalRuntime.connect(config.temporal);
      HostContext host = WorkerSetup.hostContext(config);
      Workers workers = WorkerSetup.agent(temporal, db.jdbi(), cipher, metrics, host);
      HostRegistration registration = new HostRegistration(host, new HostDao(db.jdbi()));
      registration.start();
      workers.start();
      return new Agent(db, temporal, workers, registration, host);
    } catch (Exception e) {
      db.stop();
      throw e;
    }
  }

  public String hostName() {
    return host.name();
  }

  public String taskQueue() {
    return TaskQueues.host(host.name());
  }

  @Override
  public void close() {
    workers.stop();
    registration.stop();
    temporal.stop();
    db.stop();
  }
}

package io.rdsflow.service;

import io.rdsflow.service.api.StrictJson;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.AccountDao;
import io.rdsflow.service.auth.ApiUserDao;
import io.rdsflow.service.auth.ApiUsers;
import io.rdsflow.service.auth.BasicAuthFilter;
import io.rdsflow.service.auth.CredentialLogGuard;
import io.rdsflow.service.auth.LoginThrottle;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.concurrent.Future;
import java.util.Set;
import io.rdsflow.service.cli.DbCommand;
import io.rdsflow.service.cli.RekeyCommand;
import io.rdsflow.service.cli.TemporalCommand;
import io.rdsflow.service.config.ConfigSource;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.crypto.EncryptionSetup;
import io.rdsflow.service.db.MetadataDatabase;
import io.rdsflow.service.errors.ErrorMappers;
import io.rdsflow.service.health.DatabaseHealthCheck;
import io.rdsflow.service.health.TemporalHealthCheck;
import io.rdsflow.service.health.WorkersHealthCheck;
import io.rdsflow.service.metrics.SnapshotPublisher;
import io.rdsflow.service.resources.CollectionsResource;
import io.rdsflow.service.resources.CustomMetricResource;
import io.rdsflow.service.temporal.CollectionSupervisor;
import io.rdsflow.service.temporal.HealthSupervisor;
import io.rdsflow.activities.collect.CollectionDao;
import io.rdsflow.activities.collect.CustomMetricDao;
import io.rdsflow.service.metrics.JvmMetrics;
import io.rdsflow.service.metrics.PrometheusExposition;
import io.rdsflow.service.resources.AccountResource;
import io.rdsflow.service.resources.HealthzResource;
import io.rdsflow.service.resources.MetricsResource;
import io.rdsflow.service.temporal.TemporalRuntime;
import io.rdsflow.service.temporal.WorkerSetup;
import io.rdsflow.service.temporal.HostRegistration;
import io.rdsflow.service.temporal.Reconciler;
import io.rdsflow.service.instances.InstanceService;
import io.rdsflow.service.operations.OperationService;
import io.rdsflow.service.resources.InstanceOperationsResource;
import io.rdsflow.service.resources.OperationResource;
import io.rdsflow.service.resources.InstanceResource;
import io.rdsflow.service.resources.RegisterResource;
import io.rdsflow.service.instances.ExternalRegistration;
import io.rdsflow.service.instances.AliyunCreateCheck;
import io.rdsflow.service.instances.AliyunRegistration;
import io.rdsflow.activities.aliyun.AliyunClients;
import io.rdsflow.activities.aliyun.AliyunSettings;
import io.rdsflow.activities.aliyun.CloudApi;
import io.rdsflow.service.cli.AgentCommand;
import io.rdsflow.activities.local.HostContext;
import io.rdsflow.activities.meta.HostDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.activities.meta.StepDao;
import java.util.List;
import io.rdsflow.service.temporal.Workers;
import java.util.ArrayDeque;
import java.util.Deque;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** rdsflow: REST API, Temporal workers, embedded Temporal and metadata database. */
public class RdsflowApplication extends Application<RdsflowConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(RdsflowApplication.class);

  private volatile Parts parts;

  public static void main(String[] args) throws Exception {
    ConcurrentStart.warmUpKeyDerivation();
    new RdsflowApplication().run(ConfigSource.withDefaultFile(args));
  }

  @Override
  public String getName() {
    return "rdsflow";
  }

  @Override
  public void initialize(Bootstrap<RdsflowConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(ConfigSource.withSubstitution());
    bootstrap.addCommand(new DbCommand());
    bootstrap.addCommand(new RekeyCommand());
    bootstrap.addCommand(new TemporalCommand());
    bootstrap.addCommand(new AgentCommand());
  }

  /** What {@code run} built; for tests and commands. */
  public record Parts(MetadataDatabase db, SecretCipher cipher, TemporalRuntime temporal, Workers workers) {}

  public Parts parts() {
    return parts;
  }

  @Override
  public void run(RdsflowConfiguration config, Environment env) throws Exception {
    if (config.getServerFactory() instanceof AbstractServerFactory f) {
      f.setRegisterDefaultExceptionMappers(false);
    }
    StrictJson.configure(env.getObjectMapper());
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      CredentialLogGuard.install(logback); // no log level prints an Authorization header
    }
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    try (ConcurrentStart start = new ConcurrentStart()) {
      // Temporal needs nothing from the metadata database: it starts (or is reached) while the database boots
      Future<TemporalRuntime> temporalStart = start.submit(() -> TemporalRuntime.connect(config.temporal));
      opened.push(ConcurrentStart.stopWhenStarted(temporalStart, TemporalRuntime::stop));
      MetadataDatabase db = MetadataDatabase.open(config, env.metrics());
      opened.push(db::stop);
      if (config.database.migrateOnStart) {
        int n = db.migrate();
        LOG.info("Metadata database migrated ({} migration(s) applied)", n);
      }
      // the API users' PBKDF2 hashes while this thread derives the encryption key; they are written only
      // after the key check passed (a wrong ENCRYPTION_PASSWORD changes no data)
      ApiUsers users = new ApiUsers(new ApiUserDao(db.jdbi()));
      Future<ApiUsers.Prepared> userHashes = start.submit(() ->
          users.prepare(config.security.adminPassword(), config.security.viewerPassword()));
      SecretCipher cipher = EncryptionSetup.open(config, db);
      users.bootstrap(ConcurrentStart.await(userHashes)).ifPresent(pw ->
          System.out.println("\n  rdsflow generated the API password of user 'admin': " + pw
              + "\n  It is shown only this once; set RDSFLOW_ADMIN_PASSWORD to choose your own.\n"));
      TemporalRuntime temporal = ConcurrentStart.await(temporalStart);
      int reconciled = Reconciler.run(temporal.client(), new StepDao(db.jdbi()), new InstanceDao(db.jdbi()),
          new OperationDao(db.jdbi()));
      if (reconciled > 0) {
        LOG.warn("Took over {} task(s) whose workflow Temporal no longer knows", reconciled);
      }
      HostContext host = WorkerSetup.hostContext(config);
      Workers workers = WorkerSetup.server(config, temporal, db.jdbi(), cipher, env.metrics(), host);

      env.lifecycle().manage(db);
      env.lifecycle().manage(temporal);
      if (config.workers) {
        env.lifecycle().manage(new HostRegistration(host, new HostDao(db.jdbi())));
        env.lifecycle().manage(workers);
      }
      if (config.collection.enabled) {
        env.lifecycle().manage(new CollectionSupervisor(temporal.client(), new CollectionDao(db.jdbi()), config.collection));
      }
      if (config.failover.enabled) {
        env.lifecycle().manage(new HealthSupervisor(temporal.client(), new InstanceDao(db.jdbi()),
            java.time.Duration.ofMillis(config.failover.probeInterval.toMilliseconds()), config.failover.failedProbes));
      }
      if (config.backup.schedule) {
        env.lifecycle().manage(io.rdsflow.service.temporal.BackupSchedules.supervisor(temporal.client(),
            new InstanceDao(db.jdbi())));
      }
      if (config.binlogArchive.enabled) {
        env.lifecycle().manage(new io.rdsflow.service.temporal.BinlogArchiveSupervisor(temporal.client(),
            new InstanceDao(db.jdbi()), config.backupPath(),
            java.time.Duration.ofMillis(config.binlogArchive.interval.toMilliseconds()),
            java.time.Duration.ofMillis(config.binlogArchive.flushAfter.toMilliseconds())));
      }
      if (config.memory.trimHeap) {
        env.lifecycle().manage(new io.rdsflow.service.jvm.HeapTrim(
            java.time.Duration.ofMillis(config.memory.trimCheckInterval.toMilliseconds())));
      }
      env.healthChecks().register("metadb", new DatabaseHealthCheck(db));
      env.healthChecks().register("temporal", new TemporalHealthCheck(temporal));
      if (config.workers) {
        env.healthChecks().register("workers", new WorkersHealthCheck(workers));
      }

      // every request needs an API user's credentials except /healthz and /metrics (which has its own);
      // the admin port (tasks, thread dump) needs the admin's; failed logins back the client off
      LoginThrottle throttle = new LoginThrottle(config.security.loginFailuresBeforeBackoff,
          config.security.loginBackoff.toMilliseconds(), config.security.loginBackoffMax.toMilliseconds(), 15 * 60_000L);
      env.servlets().addFilter("api-auth", BasicAuthFilter.application(users, throttle, Set.of("healthz", "metrics")))
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
      env.admin().addFilter("admin-auth", BasicAuthFilter.admin(users, throttle))
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
      env.jersey().register(RolesAllowedDynamicFeature.class);
      for (Object mapper : ErrorMappers.all()) {
        env.jersey().register(mapper);
      }
      env.jersey().register(new AccountResource(new AccountDao(db.jdbi()), cipher));
      InstanceService instances = new InstanceService(db.jdbi(), cipher, temporal.client(),
          () -> host.server().majorMinor(), List.of(new AliyunCreateCheck(new AccountDao(db.jdbi()))));
      OperationService operations = new OperationService(db.jdbi(), temporal.client());
      env.jersey().register(new InstanceResource(instances, operations));
      env.jersey().register(new InstanceOperationsResource(operations));
      env.jersey().register(new OperationResource(operations));
      env.jersey().register(new io.rdsflow.service.resources.BackupResource(new InstanceDao(db.jdbi()),
          new io.rdsflow.activities.meta.BackupDao(db.jdbi())));
      env.jersey().register(new io.rdsflow.service.resources.RecoveryWindowResource(new InstanceDao(db.jdbi()),
          new io.rdsflow.service.instances.RecoveryWindow(db.jdbi())));
      AliyunSettings aliyun = config.aliyun.settings();
      AliyunRegistration aliyunRegistration = new AliyunRegistration(db.jdbi(),
          new AliyunClients(new AccountDao(db.jdbi()), cipher, aliyun), new CloudApi(env.metrics(), aliyun));
      env.jersey().register(new RegisterResource(new ExternalRegistration(db.jdbi(), cipher), aliyunRegistration::register,
          instances));
      env.jersey().register(new HealthzResource(env.healthChecks()));
      env.jersey().register(new CollectionsResource(new CollectionDao(db.jdbi())));
      env.jersey().register(new CustomMetricResource(new CustomMetricDao(db.jdbi())));
      SnapshotPublisher snapshots = new SnapshotPublisher(new CollectionDao(db.jdbi()), java.time.Clock.systemUTC(),
          config.prometheus.mysqldExporterNames ? io.rdsflow.service.metrics.MysqldExporterNames::of : SnapshotPublisher.NO_VIEW);
      JvmMetrics.removeDropwizardGauges(env.metrics()); // the exposition reports the JVM with simpleclient_hotspot
      env.jersey().register(new MetricsResource(new PrometheusExposition(env.metrics(), snapshots), config.prometheus));
      parts = new Parts(db, cipher, temporal, workers);
    } catch (Exception | Error e) {
      while (!opened.isEmpty()) {
        try {
          opened.pop().close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }
}

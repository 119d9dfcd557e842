package io.rdsflow.service.temporal;

import com.codahale.metrics.MetricRegistry;
import io.rdsflow.activities.aliyun.AliyunClients;
import io.rdsflow.activities.aliyun.AliyunSettings;
import io.rdsflow.activities.aliyun.AliyunAccountStepsImpl;
import io.rdsflow.activities.aliyun.AliyunConfigStepsImpl;
import io.rdsflow.activities.aliyun.AliyunInitStepsImpl;
import io.rdsflow.activities.aliyun.AliyunInstanceStepsImpl;
import io.rdsflow.activities.aliyun.AliyunMaintenanceStepsImpl;
import io.rdsflow.activities.aliyun.CloudApi;
import io.rdsflow.activities.aliyun.CloudCleanupImpl;
import io.rdsflow.activities.aliyun.CloudStep;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.local.HostContext;
import io.rdsflow.activities.meta.CloudInstanceDao;
import io.rdsflow.activities.meta.HostDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.mysqld.BinaryLocator;
import io.rdsflow.activities.steps.ControlStepsImpl;
import io.rdsflow.activities.steps.HostAccountStepsImpl;
import io.rdsflow.activities.steps.HostBackupStepsImpl;
import io.rdsflow.activities.steps.BackupStepsImpl;
import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.activities.steps.HostCleanupImpl;
import io.rdsflow.activities.steps.HostDirectoryStepsImpl;
import io.rdsflow.activities.steps.HostFileStepsImpl;
import io.rdsflow.activities.steps.HostParameterStepsImpl;
import io.rdsflow.activities.steps.HostReplicationStepsImpl;
import io.rdsflow.activities.steps.HostStartStepsImpl;
import io.rdsflow.activities.steps.InstanceLifecycleImpl;
import io.rdsflow.activities.steps.NodeAccess;
import io.rdsflow.activities.steps.NodeOperationsImpl;
import io.rdsflow.activities.steps.NodeRebuildImpl;
import io.rdsflow.activities.ops.OperationControlImpl;
import io.rdsflow.activities.ops.OperationSteps;
import io.rdsflow.activities.ops.HealthControlImpl;
import io.rdsflow.activities.steps.MasterWatchImpl;
import io.rdsflow.activities.meta.NodeRoles;
import io.rdsflow.activities.meta.ProxyDao;
import io.rdsflow.activities.steps.HostProxyStepsImpl;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.workflows.health.HealthWorkflowImpl;
import io.rdsflow.activities.steps.StepRunner;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.config.CollectionConfig;
import io.rdsflow.activities.collect.CollectionActivitiesImpl;
import io.rdsflow.activities.collect.CollectionDao;
import io.rdsflow.activities.collect.CustomMetricDao;
import io.rdsflow.activities.collect.DasCollector;
import io.rdsflow.activities.collect.JdbcCollector;
import io.rdsflow.activities.meta.AccountDao;
import io.rdsflow.workflows.collect.CollectionWorkflowImpl;
import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.create.CreateInstanceWorkflowImpl;
import io.rdsflow.workflows.delete.DeleteInstanceWorkflowImpl;
import io.rdsflow.workflows.recover.RecoverInstanceWorkflowImpl;
import io.rdsflow.workflows.operate.OperationWorkflowImpl;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;

/** Registers the workflows and activities a process runs, per task queue. */
public final class WorkerSetup {
  private WorkerSetup() {}

  /** The {@code server}: control queue plus the agent of its own host. */
  public static Workers server(RdsflowConfiguration config, TemporalRuntime temporal, Jdbi jdbi, SecretCipher cipher,
      MetricRegistry metrics, HostContext host) {
    WorkerFactory factory = WorkerFactory.newInstance(temporal.client());
    WorkerOptions options = temporal.workerOptions();
    StepRunner runner = new StepRunner(new StepDao(jdbi), metrics);
    Worker control = factory.newWorker(TaskQueues.CONTROL, options);
    control.registerWorkflowImplementationTypes(CreateInstanceWorkflowImpl.class, DeleteInstanceWorkflowImpl.class,
        RecoverInstanceWorkflowImpl.class, OperationWorkflowImpl.class, HealthWorkflowImpl.class,
        io.rdsflow.workflows.backup.BackupScheduleWorkflowImpl.class,
        io.rdsflow.workflows.archive.BinlogArchiveWorkflowImpl.class);
    control.registerActivitiesImplementations(
        new ControlStepsImpl(runner, new InstanceDao(jdbi), new NodeDao(jdbi), new HostDao(jdbi), new RequestDao(jdbi), cipher),
        new InstanceLifecycleImpl(new InstanceDao(jdbi), new NodeDao(jdbi), new StepDao(jdbi)),
        new OperationControlImpl(jdbi, new OperationSteps(runner), metrics),
        new io.rdsflow.activities.ops.ParameterControlImpl(jdbi, new OperationSteps(runner)),
        new HealthControlImpl(jdbi, metrics),
        new io.rdsflow.activities.ops.BackupScheduleControlImpl(jdbi, java.time.Clock.systemUTC()),
        new io.rdsflow.activities.ops.ArchiveControlImpl(jdbi));
    registerHost(factory, options, jdbi, cipher, runner, host);
    registerCollection(factory, options, config, jdbi, cipher, metrics);
    registerAliyun(factory, options, config, jdbi, cipher, metrics, runner);
    return new Workers(factory, TaskQueues.CONTROL + ", " + TaskQueues.host(host.name()) + ", " + TaskQueues.COLLECT
        + ", " + TaskQueues.ALIYUN);
  }

  /** The {@code collect} queue: collection workflows and their JDBC and DAS collectors. */
  private static void registerCollection(WorkerFactory factory, WorkerOptions options, RdsflowConfiguration config, Jdbi jdbi, SecretCipher cipher,
      MetricRegistry metrics) {
    CollectionConfig c = config.collection;
    Worker worker = factory.newWorker(TaskQueues.COLLECT, options);
    worker.registerWorkflowImplementationTypes(CollectionWorkflowImpl.class);
    int timeoutMs = (int) c.targetTimeout.toMilliseconds();
    DasCollector das = new DasCollector(new AccountDao(jdbi), cipher, metrics, config.aliyun.dasEndpoint, config.aliyun.protocol,
        new io.rdsflow.activities.collect.DasQuota(c.dasSharedRatePerSecond, c.dasRatePerSecond), c.dasPollInterval.toMilliseconds());
    worker.registerActivitiesImplementations(new CollectionActivitiesImpl(new CollectionDao(jdbi), new CustomMetricDao(jdbi),
        new JdbcCollector(Math.min(timeoutMs, 3000), Math.max(1, timeoutMs / 2000)), das, cipher, metrics,
        c.jdbcParallelism, c.dasParallelism, timeoutMs));
  }

  /** The {@code aliyun} queue: the aliyun engine's steps and the deletion of cloud instances. */
  private static void registerAliyun(WorkerFactory factory, WorkerOptions options, RdsflowConfiguration config, Jdbi jdbi, SecretCipher cipher,
      MetricRegistry metrics, StepRunner runner) {
    AliyunSettings settings = config.aliyun.settings();
    AliyunClients clients = new AliyunClients(new AccountDao(jdbi), cipher, settings);
    CloudApi api = new CloudApi(metrics, settings);
    CloudInstanceDao cloud = new CloudInstanceDao(jdbi);
    CloudStep step = new CloudStep(runner, new InstanceDao(jdbi), new StepDao(jdbi), cloud, clients);
    Worker worker = factory.newWorker(TaskQueues.ALIYUN, options);
    worker.registerActivitiesImplementations(
        new AliyunInitStepsImpl(step, new RequestDao(jdbi)),
        new AliyunInstanceStepsImpl(step, new NodeDao(jdbi), cloud, new io.rdsflow.activities.meta.CloudBackupDao(jdbi), api),
        new AliyunConfigStepsImpl(step, new RequestDao(jdbi), api),
        new AliyunAccountStepsImpl(step, new RequestDao(jdbi), cipher, api),
        new AliyunMaintenanceStepsImpl(step, new RequestDao(jdbi), new InstanceDao(jdbi), api),
        new io.rdsflow.activities.aliyun.AliyunOperationsImpl(step, api),
        new io.rdsflow.activities.aliyun.AliyunSpecOperationsImpl(step, api, new OperationDao(jdbi)),
        new io.rdsflow.activities.aliyun.AliyunBackupOperationsImpl(step, api, new io.rdsflow.activities.meta.BackupDao(jdbi),
            new io.rdsflow.activities.meta.CloudBackupDao(jdbi)),
        new CloudCleanupImpl(new InstanceDao(jdbi), new StepDao(jdbi), cloud, clients, api));
  }

  /** An {@code agent}: only its host's queue. */
  public static Workers agent(TemporalRuntime temporal, Jdbi jdbi, SecretCipher cipher, MetricRegistry metrics, HostContext host) {
    WorkerFactory factory = WorkerFactory.newInstance(temporal.client());
    registerHost(factory, temporal.workerOptions(), jdbi, cipher, new StepRunner(new StepDao(jdbi), metrics), host);
    return new Workers(factory, TaskQueues.host(host.name()));
  }

  private static void registerHost(WorkerFactory factory, WorkerOptions options, Jdbi jdbi, SecretCipher cipher, StepRunner runner,
      HostContext host) {
    Worker worker = factory.newWorker(TaskQueues.host(host.name()), options);
    NodeAccess access = new NodeAccess(host, new InstanceDao(jdbi), new NodeDao(jdbi), new HostDao(jdbi), new RequestDao(jdbi), cipher);
    worker.registerActivitiesImplementations(
        new HostDirectoryStepsImpl(runner, access),
        new HostStartStepsImpl(runner, access),
        new HostAccountStepsImpl(runner, access),
        new HostReplicationStepsImpl(runner, access),
        new HostParameterStepsImpl(runner, access),
        new HostFileStepsImpl(runner, access),
        new HostBackupStepsImpl(runner, access, new BackupDao(jdbi)),
        new io.rdsflow.activities.steps.HostRestoreStepsImpl(runner, access, new BackupDao(jdbi),
            new io.rdsflow.activities.meta.BinlogArchiveDao(jdbi)),
        new BackupStepsImpl(new OperationSteps(runner), access, new BackupDao(jdbi)),
        new HostCleanupImpl(host, new NodeDao(jdbi), new ProxyDao(jdbi)),
        new NodeOperationsImpl(new OperationSteps(runner), access, new ProxyDao(jdbi), new NodeRoles(jdbi)),
        new NodeRebuildImpl(new OperationSteps(runner), access),
        new io.rdsflow.activities.steps.ParameterOperationsImpl(new OperationSteps(runner), access),
        new HostProxyStepsImpl(runner, access, new ProxyDao(jdbi), new NodeRoles(jdbi)),
        new MasterWatchImpl(access, new NodeRoles(jdbi), new OperationDao(jdbi)),
        new io.rdsflow.activities.steps.BinlogArchiverImpl(access, new io.rdsflow.activities.meta.BinlogArchiveDao(jdbi)));
  }

  /** This host as configured by {@code localEngine.*}. */
  public static HostContext hostContext(RdsflowConfiguration config) {
    String name = config.localEngine.hostName;
    if (name == null || name.isBlank()) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        name = "localhost";
      }
    }
    Path baseDir = config.localEngine.baseDir == null || config.localEngine.baseDir.isBlank()
        ? config.dataPath().resolve("instances")
        : Path.of(config.localEngine.baseDir).toAbsolutePath().normalize();
    BinaryLocator binaries = new BinaryLocator(config.localEngineBinDir(), config.dataPath().resolve("dist"));
    return new HostContext(name, baseDir, config.localEngine.bindAddress, config.localEngine.portRange, binaries,
        config.backupPath());
  }
}

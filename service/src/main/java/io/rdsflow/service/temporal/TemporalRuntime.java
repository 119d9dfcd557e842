package io.rdsflow.service.temporal;

import io.dropwizard.lifecycle.Managed;
import io.rdsflow.service.config.TemporalConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection to Temporal: the embedded service, or an external cluster at {@code temporal.target}. */
public final class TemporalRuntime implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(TemporalRuntime.class);

  private final EmbeddedTemporal embedded;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final String target;
  /** The service is another process's in-memory test server, which never moves a dead worker's sticky tasks back. */
  private final boolean stickyUnsafe;

  private TemporalRuntime(EmbeddedTemporal embedded, WorkflowServiceStubs stubs, WorkflowClient client, String target,
      boolean stickyUnsafe) {
    this.embedded = embedded;
    this.stubs = stubs;
    this.client = client;
    this.target = target;
    this.stickyUnsafe = stickyUnsafe;
  }

  public static TemporalRuntime connect(TemporalConfig config) throws Exception {
    EmbeddedTemporal embedded = config.embedded() ? EmbeddedTemporal.start(config.embeddedPort) : null;
    String target = embedded != null ? embedded.target() : config.target;
    try {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(target).build(), Duration.ofSeconds(15));
      WorkflowClient client = WorkflowClient.newInstance(stubs,
          WorkflowClientOptions.newBuilder().setNamespace(config.namespace).build());
      // Our own embedded service dies with this process's workers, so its sticky queues can never
      // outlive them; another process's in-memory service (the `temporal` command) can.
      boolean stickyUnsafe = embedded == null && isInMemoryTestServer(stubs);
      LOG.info("Temporal: {} at {}, namespace {}{}", embedded != null ? "embedded" : "external", target, config.namespace,
          stickyUnsafe ? " (another process's in-memory test server: sticky execution off)" : "");
      return new TemporalRuntime(embedded, stubs, client, target, stickyUnsafe);
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw new IllegalStateException("Cannot reach Temporal at " + target
          + " (check temporal.target and temporal.namespace): " + e.getMessage(), e);
    }
  }

  /**
   * The in-memory service of {@code temporal-test-server} (ours, or another process's {@code temporal}
   * command) answers GetClusterInfo with UNIMPLEMENTED; a real cluster answers it.
   */
  private static boolean isInMemoryTestServer(WorkflowServiceStubs stubs) {
    try {
      stubs.blockingStub().withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
          .getClusterInfo(GetClusterInfoRequest.getDefaultInstance());
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.UNIMPLEMENTED;
    }
  }

  /**
   * Options for every worker of this process. On another process's in-memory test server sticky
   * execution is off: that server queues a workflow's next task on the sticky queue of the worker that ran the last one and never
   * moves it back to the shared queue when that worker dies (it has no sticky schedule-to-start timeout),
   * so a {@code kill -9} of a worker process would stall every workflow it had cached. Without sticky
   * queues each workflow task goes to the shared queue, and any live worker replays and continues it.
   */
  public WorkerOptions workerOptions() {
    WorkerOptions.Builder b = WorkerOptions.newBuilder();
    if (stickyUnsafe) {
      b.setStickyQueueScheduleToStartTimeout(java.time.Duration.ZERO);
    }
    return b.build();
  }

  public WorkflowClient client() {
    return client;
  }

  public String target() {
    return target;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  /** Asks the frontend for its system info; for the health check. */
  public void ping() {
    stubs.blockingStub().withDeadlineAfter(3, java.util.concurrent.TimeUnit.SECONDS)
        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    stubs.shutdown();
    stubs.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    if (embedded != null) {
      embedded.close();
    }
  }
}

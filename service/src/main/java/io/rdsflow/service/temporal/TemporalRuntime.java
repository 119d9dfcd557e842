package io.rdsflow.service.temporal;

import io.dropwizard.lifecycle.Managed;
import io.rdsflow.service.config.TemporalConfig;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
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

  private TemporalRuntime(EmbeddedTemporal embedded, WorkflowServiceStubs stubs, WorkflowClient client, String target) {
    this.embedded = embedded;
    this.stubs = stubs;
    this.client = client;
    this.target = target;
  }

  public static TemporalRuntime connect(TemporalConfig config) throws Exception {
    EmbeddedTemporal embedded = config.embedded() ? EmbeddedTemporal.start(config.embeddedPort) : null;
    String target = embedded != null ? embedded.target() : config.target;
    try {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(target).build(), Duration.ofSeconds(15));
      WorkflowClient client = WorkflowClient.newInstance(stubs,
          WorkflowClientOptions.newBuilder().setNamespace(config.namespace).build());
      LOG.info("Temporal: {} at {}, namespace {}", embedded != null ? "embedded" : "external", target, config.namespace);
      return new TemporalRuntime(embedded, stubs, client, target);
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw new IllegalStateException("Cannot reach Temporal at " + target
          + " (check temporal.target and temporal.namespace): " + e.getMessage(), e);
    }
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

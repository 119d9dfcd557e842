package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances outlive the service: a stopped service leaves them running, the next start knows them
 * from the metadata database and can delete them; a creation the lost in-memory Temporal was running
 * is compensated at the next start — its server stopped, its directory and ports gone — and ends FAILED
 * (interrupted), instead of staying CREATING or leaving what it built behind.
 */
class RestartTest {
  @TempDir Path root;

  @Test
  void instancesOutliveTheServiceAndInterruptedCreationsAreReconciled() throws Exception {
    Map<String, String> config = TestApp.config(root.resolve("server"), "restart");
    config.put("localEngine.hostName", "h0");
    config.put("localEngine.baseDir", root.resolve("h0").toString());
    PortBlock ports = PortBlock.free(10);
    config.put("localEngine.portRange", ports.range());
    config.put("collection.enabled", "false");
    String running;
    String interrupted;
    try {
      try (TestApp app = TestApp.start(config)) {
        running = app.post("/v1/instances", LocalEngineTest.request("survivor", "single", null)).json().get("instanceId").asText();
        LocalEngineTest.waitForStatus(app, running, "RUNNING", Duration.ofMinutes(2));
        interrupted = app.post("/v1/instances", LocalEngineTest.request("interrupted", "single", null)).json()
            .get("instanceId").asText();
        LocalEngineTest.waitForStep(app, interrupted, "do_check_start_instance_success_master", "SUCCEEDED");
      }
      assertThat(TestProcesses.under(root.resolve("h0").resolve(interrupted))).as("the interrupted creation's server").hasSize(1);
      assertThat(TestProcesses.under(root.resolve("h0").resolve(running))).as("still running after the service stopped").hasSize(1);

      try (TestApp again = TestApp.start(config)) {
        JsonNode survivor = again.get("/v1/instances/" + running).json();
        assertThat(survivor.get("status").asText()).isEqualTo("RUNNING");
        assertThat(survivor.get("endpoints").get(0).get("port").asInt()).isBetween(ports.first(), ports.last());
        JsonNode lost = LocalEngineTest.waitForStatus(again, interrupted, "FAILED", Duration.ofMinutes(1));
        assertThat(lost.get("error").asText()).contains("interrupted").contains("what it had built was removed");
        assertThat(TestProcesses.under(root.resolve("h0").resolve(interrupted))).as("compensation stopped its server").isEmpty();
        assertThat(root.resolve("h0").resolve(interrupted)).as("compensation removed its directory").doesNotExist();
        assertThat(LocalEngineTest.allocatedPorts(again, interrupted)).as("compensation freed its ports").isZero();

        assertThat(again.delete("/v1/instances/" + running).status()).isEqualTo(202);
        LocalEngineTest.waitForStatus(again, running, "DELETED", Duration.ofMinutes(1));
        assertThat(TestProcesses.under(root.resolve("h0").resolve(running))).isEmpty();
        assertThat(again.delete("/v1/instances/" + interrupted).status()).isEqualTo(202);
        LocalEngineTest.waitForStatus(again, interrupted, "DELETED", Duration.ofMinutes(1));
        assertThat(root.resolve("h0").resolve(interrupted)).doesNotExist();
      }
    } finally {
      TestProcesses.stopAllUnder(root);
    }
  }
}

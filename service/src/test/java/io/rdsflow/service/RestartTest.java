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
 * from the metadata database and can delete them. (A creation lost with the in-memory Temporal is
 * compensated at the next start: CrashRecoveryIT, which kills the server instead of stopping it.)
 */
class RestartTest {
  @TempDir Path root;

  @Test
  void instancesOutliveTheServiceAndTheNextStartKnowsThem() throws Exception {
    Map<String, String> config = TestApp.config(root.resolve("server"), "restart");
    config.put("localEngine.hostName", "h0");
    config.put("localEngine.baseDir", root.resolve("h0").toString());
    PortBlock ports = PortBlock.free(10);
    config.put("localEngine.portRange", ports.range());
    config.put("collection.enabled", "false");
    String running;
    try {
      try (TestApp app = TestApp.start(config)) {
        running = app.post("/v1/instances", LocalEngineTest.request("survivor", "single", null)).json().get("instanceId").asText();
        LocalEngineTest.waitForStatus(app, running, "RUNNING", Duration.ofMinutes(2));
      }
      assertThat(TestProcesses.servers(root.resolve("h0").resolve(running))).as("still running after the service stopped").hasSize(1);

      try (TestApp again = TestApp.start(config)) {
        JsonNode survivor = again.get("/v1/instances/" + running).json();
        assertThat(survivor.get("status").asText()).isEqualTo("RUNNING");
        assertThat(survivor.get("endpoints").get(0).get("port").asInt()).isBetween(ports.first(), ports.last());
        assertThat(again.delete("/v1/instances/" + running).status()).isEqualTo(202);
        LocalEngineTest.waitForStatus(again, running, "DELETED", Duration.ofMinutes(1));
        assertThat(TestProcesses.under(root.resolve("h0").resolve(running))).isEmpty();
      }
    } finally {
      TestProcesses.stopAllUnder(root);
    }
  }
}

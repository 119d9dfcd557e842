package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of {@code java -jar rdsflow.jar server} as a user runs it (embedded Temporal and
 * metadata database, a child JVM): the JVM and process series under Prometheus's usual names, and the
 * whole exposition accepted by {@code promtool check metrics}.
 */
class MetricsExpositionIT {
  @TempDir Path root;

  @Test
  void theRealServersExpositionPassesPromtool() throws Exception {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("dataDir", root.resolve("data").toString());
    config.put("temporal.embeddedPort", "0");
    config.put("security.encryptionPassword", TestApp.ENCRYPTION_PASSWORD);
    config.put("security.adminPassword", TestApp.ADMIN_PASSWORD);
    config.put("localEngine.portRange", PortBlock.free(5).range());
    try (ServerProcess server = ServerProcess.server(config, root.resolve("server.log"))) {
      TestApp.Reply metrics = server.get("/metrics");
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("jvm_memory_bytes_used{", "jvm_threads_current ", "process_cpu_seconds_total ", "rdsflow_")
          .doesNotContain("jvm_threads_count", "jvm_buffers_direct_count");
      Promtool.assertAccepts(metrics.body(), root);
    } finally {
      TestProcesses.stopAllUnder(root);
    }
  }
}

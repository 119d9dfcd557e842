package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics in Prometheus text format: lint-clean for promtool, open or behind Basic auth. */
class MetricsEndpointTest {
  @TempDir Path dataDir;

  @Test
  void metricsAreOpenByDefaultAndPassPromtool() throws Exception {
    try (TestApp app = TestApp.start(TestApp.config(dataDir, "metrics"))) {
      app.get("/v1/accounts");
      TestApp.Reply r = app.send("GET", "/metrics", null, null, null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).contains("# TYPE io_dropwizard_jetty_mutable_servlet_context_handler_requests summary").contains("metadb_pool_");
      assertThat(r.body()).doesNotContainPattern("(?m)^[a-z_]*[A-Z]");
      Path promtool = Path.of("/usr/bin/promtool");
      if (Files.isExecutable(promtool) || System.getenv("CI") != null) {
        Path file = dataDir.resolve("metrics.txt");
        Files.writeString(file, r.body());
        Process p = new ProcessBuilder("bash", "-c", promtool + " check metrics < " + file).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("promtool check metrics").isEmpty();
        assertThat(p.exitValue()).isZero();
      }
    }
  }

  @Test
  void metricsCanRequireBasicAuth() throws Exception {
    Map<String, String> config = TestApp.config(dataDir, "metrics_auth");
    config.put("prometheus.basicAuthUser", "scraper");
    config.put("prometheus.basicAuthPassword", "scrape-password");
    try (TestApp app = TestApp.start(config)) {
      assertThat(app.send("GET", "/metrics", null, null, null).status()).isEqualTo(401);
      assertThat(app.send("GET", "/metrics", null, "wrong", "scraper").status()).isEqualTo(401);
      assertThat(app.send("GET", "/metrics", null, "scrape-password", "scraper").status()).isEqualTo(200);
      assertThat(app.send("GET", "/healthz", null, null, null).status()).isEqualTo(200);
    }
  }
}

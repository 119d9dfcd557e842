package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
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
      Promtool.assertAccepts(r.body(), dataDir);
    }
  }

  /**
   * The JVM and the process under simpleclient_hotspot's names, not Dropwizard's JVM gauges (which the
   * test application registers as {@code java -jar rdsflow.jar server} does, and which promtool rejects).
   */
  @Test
  void jvmAndProcessMetricsHaveThePrometheusNames() throws Exception {
    try (TestApp app = TestApp.start(TestApp.config(dataDir, "metrics_jvm"))) {
      String body = app.send("GET", "/metrics", null, null, null).body();
      assertThat(body).contains("# TYPE jvm_memory_bytes_used gauge", "# TYPE process_cpu_seconds_total counter",
          "# TYPE jvm_threads_current gauge", "# TYPE jvm_gc_collection_seconds summary", "jvm_info{");
      assertThat(body).containsPattern("(?m)^jvm_memory_bytes_used\\{area=\"heap\"")
          .containsPattern("(?m)^process_cpu_seconds_total ");
      assertThat(body).doesNotContainPattern("(?m)^jvm_threads_count").doesNotContainPattern("(?m)^jvm_buffers_")
          .doesNotContainPattern("(?m)^jvm_gc_[a-z_]*_count ").doesNotContainPattern("(?m)^jvm_attribute_");
      assertThat(app.metrics().getNames()).noneMatch(n -> n.startsWith("jvm."));
      Promtool.assertAccepts(body, dataDir);
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

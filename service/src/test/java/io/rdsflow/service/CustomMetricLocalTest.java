package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 on a local instance: custom SQL runs as rdsflow_custom, which reads the request's databases
 * and nothing else (no mysql.user, no performance_schema), under MAX_STATEMENT_TIME; the built-in
 * series of the instance are not affected by a metric the database refuses.
 */
class CustomMetricLocalTest {
  @TempDir Path root;

  @Test
  void customSqlOfALocalInstanceRunsAsItsLeastPrivilegeAccount() throws Exception {
    Map<String, String> config = TestApp.config(root.resolve("server"), "custom_local");
    config.put("localEngine.hostName", "h0");
    config.put("localEngine.baseDir", root.resolve("h0").toString());
    config.put("localEngine.portRange", PortBlock.free(10).range());
    config.put("collection.jdbcPeriod", "2s");
    config.put("collection.targetTimeout", "1500ms");
    try (TestApp app = TestApp.start(config)) {
      Map<String, Object> request = new java.util.HashMap<>(LocalEngineTest.request("custom", "single", null));
      request.remove("timeZone");
      TestApp.Reply accepted = app.post("/v1/instances", request);
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      String id = accepted.json().get("instanceId").asText();
      JsonNode running = LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
      int port = running.get("endpoints").get(0).get("port").asInt();
      try (Connection c = LocalEngineTest.connect(port, "shop_app", LocalEngineTest.PASSWORD)) {
        LocalEngineTest.exec(c, "CREATE TABLE shop.orders (id INT PRIMARY KEY, status VARCHAR(16))");
        LocalEngineTest.exec(c, "INSERT INTO shop.orders VALUES (1, 'new'), (2, 'new'), (3, 'paid')");
      }
      Map<String, String> metrics = Map.of(
          "orders", "SELECT status, COUNT(*) AS n FROM shop.orders GROUP BY status",
          "hashes", "SELECT CONCAT(User,\"@\",Host) AS u, authentication_string AS h, 1 AS n FROM mysql.user",
          "system_tables", "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS t, 1 AS n FROM information_schema.TABLES "
              + "WHERE TABLE_SCHEMA IN ('mysql', 'performance_schema', 'sys')",
          "statement_time", "SELECT @@max_statement_time AS n",
          "whoami", "SELECT CURRENT_USER AS u, 1 AS n");
      for (Map.Entry<String, String> e : metrics.entrySet()) {
        List<String> labels = e.getKey().equals("orders") ? List.of("status") : e.getKey().equals("hashes") ? List.of("u", "h")
            : e.getKey().equals("whoami") ? List.of("u") : e.getKey().equals("system_tables") ? List.of("t") : List.of();
        TestApp.Reply r = app.post("/v1/custom-metrics", Map.of("name", e.getKey(), "sql", e.getValue(), "valueColumn", "n",
            "labelColumns", labels, "intervalSeconds", 1));
        assertThat(r.status()).as(e.getKey() + " " + r).isEqualTo(201);
      }
      Map<String, String> inst = Map.of("instance_id", id);
      Metrics m = CollectionTestSupport.scrapeUntil(app,
          x -> x.value("rds_custom_orders", Map.of("instance_id", id, "status", "new")).orElse(-1) == 2
              && x.value("rds_custom_errors", Map.of("instance_id", id, "metric", "hashes")).orElse(-1) == 1
              && !x.find("rds_custom_whoami", inst).isEmpty(), Duration.ofSeconds(60));
      assertThat(m.find("rds_custom_whoami", inst).get(0).labels().get("u")).startsWith("rdsflow_custom@");
      // only what MariaDB lets every account read (SHOW GLOBAL STATUS needs no privilege either): no mysql.*, no
      // statement history, no sys
      assertThat(m.find("rds_custom_system_tables", inst)).extracting(s -> s.labels().get("t"))
          .isSubsetOf("performance_schema.global_status", "performance_schema.session_status",
              "performance_schema.session_account_connect_attrs")
          .noneMatch(t -> t.startsWith("mysql."));
      // the account's MAX_STATEMENT_TIME (10 s), narrowed further per statement by the collector's query timeout
      assertThat(m.value("rds_custom_statement_time", inst).orElse(-1)).isGreaterThan(0).isLessThanOrEqualTo(10);
      assertThat(m.find("rds_custom_hashes", Map.of())).isEmpty();
      assertThat(app.send("GET", "/metrics", null, null, null).body()).doesNotContainPattern("\\*[0-9A-F]{40}");
      assertThat(m.value("rds_up", inst).orElse(-1)).isEqualTo(1);
      assertThat(m.value("rds_threads_connected", inst).orElse(-1)).isGreaterThan(0);
      JsonNode local = null;
      for (JsonNode g : app.get("/v1/collections").json()) {
        if (g.get("group").asText().equals("local")) {
          local = g;
        }
      }
      assertThat(local.get("targetsFailed").asInt()).isZero();
      assertThat(local.get("errors").get(id + ":master custom_hashes").asText()).contains("denied").contains("rdsflow_custom");
      assertThat(app.delete("/v1/instances/" + id).status()).isEqualTo(202);
      LocalEngineTest.waitForStatus(app, id, "DELETED", Duration.ofMinutes(2));
    } finally {
      TestProcesses.stopAllUnder(root);
    }
  }
}

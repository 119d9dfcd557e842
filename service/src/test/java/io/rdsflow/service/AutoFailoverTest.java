package io.rdsflow.service;

import static io.rdsflow.service.LocalEngineTest.PASSWORD;
import static io.rdsflow.service.LocalEngineTest.connect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a local master: nothing happens while automatic failover is off; once it is on, the health
 * watch declares the master dead (failed probes and the slave lost it) and a failover with trigger
 * {@code auto} promotes the slave, which then takes writes; the old master is fenced, then rebuilt (trigger {@code auto}).
 */
class AutoFailoverTest {
  @TempDir Path root;

  @Test
  void aKilledMasterIsFailedOverAutomaticallyOnlyWhenAutomaticFailoverIsOn() throws Exception {
    try (TestApp app = TestApp.start(OperationsApi.oneHostConfig(root, "autofo"))) {
      String id = app.post("/v1/instances", LocalEngineTest.request("auto", "master-slave", null)).json().get("instanceId").asText();
      LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
      Map<String, Integer> before = ports(app, id);
      try (Connection c = connect(before.get("master"), "shop_app", PASSWORD); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(32))");
      }

      TestApp.Reply bad = app.send("PATCH", "/v1/instances/" + id, Map.of("autoFailover", "no"), TestApp.ADMIN_PASSWORD, "admin");
      assertThat(bad.status()).as(bad.toString()).isBetween(400, 422);
      assertThat(bad.body()).contains("autoFailover");
      TestApp.Reply off = app.send("PATCH", "/v1/instances/" + id, Map.of("autoFailover", false), TestApp.ADMIN_PASSWORD, "admin");
      assertThat(off.status()).as(off.toString()).isEqualTo(200);

      Path master = root.resolve("h0").resolve(id).resolve("master");
      long pid = Long.parseLong(Files.readString(master.resolve("run/mysqld.pid")).trim());
      new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
      Thread.sleep(6000);
      assertThat(app.get("/v1/instances/" + id + "/operations").json()).as("automatic failover is off").isEmpty();

      long on = System.nanoTime();
      assertThat(app.send("PATCH", "/v1/instances/" + id, Map.of("autoFailover", true), TestApp.ADMIN_PASSWORD, "admin").status())
          .isEqualTo(200);
      JsonNode op = waitForSucceededOperation(app, id, Duration.ofSeconds(60));
      System.out.println("automatic failover: SUCCEEDED " + (System.nanoTime() - on) / 1_000_000 + " ms after it was switched on");
      assertThat(op.get("type").asText()).isEqualTo("failover");
      assertThat(op.get("trigger").asText()).isEqualTo("auto");

      assertThat(ports(app, id).get("master")).isEqualTo(before.get("slave"));
      try (Connection c = connect(before.get("writer"), "shop_app", PASSWORD); Statement s = c.createStatement()) {
        s.execute("INSERT INTO shop.orders(item) VALUES ('after automatic failover')"); // through the writer endpoint
      }
      assertThat(Files.readAllLines(master.resolve("my.cnf"))).as("the old master starts read-only").contains("read_only=ON");
      Metrics.awaitFreshLivePart();
      double total = Metrics.parse(app.send("GET", "/metrics", null, null, null).body())
          .value("rdsflow_operations_total", Map.of("type", "failover", "trigger", "auto", "result", "succeeded")).orElse(0);
      assertThat(total).isEqualTo(1.0);
      JsonNode rebuild = waitForAutomaticRebuild(app, id, Duration.ofSeconds(90)); // the old master, once its host answers
      assertThat(rebuild.get("status").asText()).as(rebuild.toString()).isEqualTo("SUCCEEDED");
      assertThat(Files.readAllLines(master.resolve("my.cnf"))).as("the rebuilt old master is a read-only slave").contains("read_only=ON");
      app.delete("/v1/instances/" + id);
      LocalEngineTest.waitForStatus(app, id, "DELETED", Duration.ofMinutes(2));
    } finally {
      TestProcesses.stopAllUnder(root); // servers and proxies a failed test left behind
    }
  }

  private static JsonNode waitForAutomaticRebuild(TestApp app, String id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode list = null;
    while (System.nanoTime() < deadline) {
      list = app.get("/v1/instances/" + id + "/operations").json();
      JsonNode newest = list.get(0);
      if (newest.get("type").asText().equals("rebuild") && !newest.get("status").asText().equals("RUNNING")) {
        assertThat(newest.get("trigger").asText()).isEqualTo("auto");
        return newest;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no automatic rebuild within " + timeout + ": " + list);
  }

  private static JsonNode waitForSucceededOperation(TestApp app, String id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode list = null;
    while (System.nanoTime() < deadline) {
      list = app.get("/v1/instances/" + id + "/operations").json();
      JsonNode first = list.size() > 0 ? list.get(list.size() - 1) : null; // newest first: the first operation is last
      if (first != null && first.get("status").asText().equals("SUCCEEDED")) {
        return first;
      }
      if (first != null && first.get("status").asText().equals("FAILED")) {
        throw new AssertionError("the automatic failover failed: " + first);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no automatic failover within " + timeout + ": " + list);
  }

  private static Map<String, Integer> ports(TestApp app, String id) {
    return OperationsApi.endpoints(app, id);
  }
}

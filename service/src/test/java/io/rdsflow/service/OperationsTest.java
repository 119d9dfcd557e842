package io.rdsflow.service;

import static io.rdsflow.service.LocalEngineTest.PASSWORD;
import static io.rdsflow.service.LocalEngineTest.connect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Day-2 operations through REST on one real master-slave pair (one host): a switchover under a
 * writer loses no acknowledged row, a rolling restart, one operation at a time (409), a failover
 * after kill -9 of the master fences the old master.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsTest {
  @TempDir static Path root;
  static TestApp app;
  static String id;

  @BeforeAll
  static void createPair() throws Exception {
    Map<String, String> config = OperationsApi.oneHostConfig(root, "ops");
    config.put("failover.enabled", "false"); // the operations here are the API's; AutoFailoverTest watches
    app = TestApp.start(config);
    id = OperationsApi.createPairWithOrders(app, "ops");
  }

  @AfterAll
  static void stop() {
    OperationsApi.deleteAndClose(app, id, root);
  }

  @Test
  @Order(1)
  void requestsThatDoNotApplyAreRefusedNamingTheField() {
    assertError(app.post("/v1/instances/" + id + "/operations", Map.of("type", "teleport")), 422, "type");
    assertError(app.post("/v1/instances/" + id + "/operations", Map.of()), 422, "type");
    assertError(app.post("/v1/instances/" + id + "/operations", Map.of("type", "switchover", "node", "slave")), 422, "node");
    assertError(app.post("/v1/instances/" + id + "/operations", Map.of("type", "restart", "node", "primary")), 422, "node");
    assertError(app.post("/v1/instances/" + id + "/operations", Map.of("type", "failover")), 202, null);
    JsonNode failed = waitForOperation(latestOperation());
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("error").asText()).contains("answers: use a switchover");
    assertThat(app.get("/v1/instances/nope/operations").status()).isEqualTo(404);
    assertThat(app.get("/v1/operations/op-nope-1").status()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void switchoverUnderAWriterLosesNoAcknowledgedRowAndSwapsTheRoles() throws Exception {
    Map<String, Integer> before = ports();
    AtomicBoolean running = new AtomicBoolean(true);
    Set<Integer> acknowledged = java.util.Collections.synchronizedSet(new TreeSet<>());
    AtomicLong longestGapMillis = new AtomicLong();
    Thread writer = new Thread(() -> writeInALoop(running, acknowledged, longestGapMillis));
    writer.start();
    Thread.sleep(500);
    TestApp.Reply accepted = app.post("/v1/instances/" + id + "/operations", Map.of("type", "switchover"));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String opId = accepted.json().get("operationId").asText();
    assertThat(opId).isEqualTo("op-" + id + "-2");
    JsonNode done = waitForOperation(opId);
    Thread.sleep(1000);
    running.set(false);
    writer.join();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("trigger").asText()).isEqualTo("api");
    assertThat(done.get("progress").asText()).isEqualTo("8/8");

    Map<String, Integer> after = ports();
    assertThat(after.get("master")).isEqualTo(before.get("slave"));
    assertThat(after.get("slave")).isEqualTo(before.get("master"));
    assertThat(after.get("writer")).as("the writer endpoint stays where it was").isEqualTo(before.get("writer"));
    assertThat(landsOn(after.get("writer"))).as("the writer endpoint leads to the new master").isEqualTo(after.get("master"));
    assertThat(landsOn(after.get("reader"))).as("the reader endpoint leads to the new slave").isEqualTo(after.get("slave"));
    List<Integer> missing = new ArrayList<>();
    try (Connection master = connect(after.get("master"), "shop_app", PASSWORD)) {
      Set<Integer> present = new TreeSet<>();
      try (Statement s = master.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM shop.orders")) {
        while (rs.next()) {
          present.add(rs.getInt(1));
        }
      }
      synchronized (acknowledged) {
        acknowledged.stream().filter(r -> !present.contains(r)).forEach(missing::add);
      }
      assertThat(scalar(master, "SELECT @@read_only")).isEqualTo("0");
    }
    System.out.println("switchover: " + acknowledged.size() + " acknowledged rows, longest write gap " + longestGapMillis.get() + " ms");
    assertThat(acknowledged).as("the writer kept writing across the switchover").hasSizeGreaterThan(10);
    assertThat(missing).as("acknowledged rows missing on the new master").isEmpty();
    try (Connection oldMaster = admin(after.get("slave"))) {
      assertThat(scalar(oldMaster, "SELECT @@read_only")).isEqualTo("1");
      try (Statement s = oldMaster.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("Slave_IO_Running")).isEqualTo("Yes");
        assertThat(rs.getString("Slave_SQL_Running")).isEqualTo("Yes");
      }
    }
    assertThat(operationsTotal("switchover", "succeeded")).isEqualTo(1.0);
  }

  @Test
  @Order(3)
  void aSecondOperationOrADeletionWhileOneRunsIs409NamingIt() throws Exception {
    TestApp.Reply restart = app.post("/v1/instances/" + id + "/operations", Map.of("type", "restart"));
    assertThat(restart.status()).as(restart.toString()).isEqualTo(202);
    String opId = restart.json().get("operationId").asText();
    TestApp.Reply second = app.post("/v1/instances/" + id + "/operations", Map.of("type", "switchover"));
    assertThat(second.status()).as(second.toString()).isEqualTo(409);
    assertThat(second.body()).contains(opId);
    TestApp.Reply delete = app.delete("/v1/instances/" + id);
    assertThat(delete.status()).as(delete.toString()).isEqualTo(409);
    assertThat(delete.body()).contains(opId);
    Map<String, Integer> before = ports();
    JsonNode done = waitForOperation(opId);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    List<String> names = new ArrayList<>();
    done.get("steps").forEach(s -> names.add(s.get("name").asText() + "/" + s.get("status").asText()));
    assertThat(names).startsWith("rdsflow_restart_node/SUCCEEDED", "rdsflow_check_replica/SUCCEEDED",
        "rdsflow_stop_writes/SUCCEEDED", "rdsflow_wait_replica_applied/SUCCEEDED", "rdsflow_open_writes/SUCCEEDED",
        "rdsflow_swap_roles/SUCCEEDED", "rdsflow_point_proxy/SUCCEEDED", "rdsflow_restart_node/SUCCEEDED");
    assertThat(names.subList(8, names.size())).as("undo rows not needed").allMatch(n -> n.endsWith("/SKIPPED"));
    assertThat(ports().get("master")).as("a rolling restart ends with a switchover").isEqualTo(before.get("slave"));
    JsonNode list = app.get("/v1/instances/" + id + "/operations").json();
    assertThat(list.get(0).get("operationId").asText()).as("newest first").isEqualTo(opId);
  }

  @Test
  @Order(4)
  void failoverAfterKillOfTheMasterPromotesTheSlaveAndFencesTheOldMaster() throws Exception {
    Map<String, Integer> before = ports();
    Jdbi jdbi = app.application().parts().db().jdbi();
    String masterNode = jdbi.withHandle(h -> h.createQuery("SELECT role FROM instance_nodes WHERE ins_id = :i AND port = :p")
        .bind("i", id).bind("p", before.get("master")).mapTo(String.class).one());
    long pid = Long.parseLong(Files.readString(root.resolve("h0").resolve(id).resolve(masterNode).resolve("run/mysqld.pid")).trim());
    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    Thread.sleep(1500);
    TestApp.Reply accepted = app.post("/v1/instances/" + id + "/operations", Map.of("type", "failover"));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    JsonNode done = waitForOperation(accepted.json().get("operationId").asText());
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(ports().get("master")).isEqualTo(before.get("slave"));
    try (Connection c = connect(before.get("writer"), "shop_app", PASSWORD); Statement s = c.createStatement()) {
      s.execute("INSERT INTO shop.orders(item) VALUES ('after failover')");
      assertThat(scalar(c, "SELECT @@port")).as("the writer endpoint leads to the new master").isEqualTo(before.get("slave").toString());
    }
    assertThat(landsOn(before.get("reader"))).as("no slave to read from: the reader leads to the master").isEqualTo(before.get("slave"));
    Path cnf = root.resolve("h0").resolve(id).resolve(masterNode).resolve("my.cnf");
    assertThat(Files.readAllLines(cnf)).as("the old master starts read-only").contains("read_only=ON");
    TestApp.Reply switchover = app.post("/v1/instances/" + id + "/operations", Map.of("type", "switchover"));
    assertThat(switchover.status()).as("the fenced node must be rebuilt first").isEqualTo(422);
    assertThat(switchover.body()).contains("rebuilt");
    assertThat(operationsTotal("failover", "succeeded")).isEqualTo(1.0);
    assertThat(operationsTotal("failover", "failed")).as("the refused failover of the first test").isEqualTo(1.0);
  }

  private static void writeInALoop(AtomicBoolean running, Set<Integer> acknowledged, AtomicLong longestGap) {
    long lastOk = System.nanoTime();
    Connection c = null;
    while (running.get()) {
      try {
        if (c == null) {
          c = connect(ports().get("writer"), "shop_app", PASSWORD); // the stable address that follows the master
        }
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO shop.orders(item) VALUES ('w')", Statement.RETURN_GENERATED_KEYS);
          try (ResultSet keys = s.getGeneratedKeys()) {
            keys.next();
            acknowledged.add(keys.getInt(1));
          }
        }
        long now = System.nanoTime();
        longestGap.accumulateAndGet((now - lastOk) / 1_000_000, Math::max);
        lastOk = now;
        Thread.sleep(20);
      } catch (SQLException e) {
        close(c);
        c = null;
        sleepQuietly(50);
      } catch (InterruptedException e) {
        return;
      }
    }
    close(c);
  }

  private static double operationsTotal(String type, String result) {
    Metrics.awaitFreshLivePart();
    return Metrics.parse(app.send("GET", "/metrics", null, null, null).body())
        .value("rdsflow_operations_total", Map.of("type", type, "trigger", "api", "result", result)).orElse(0);
  }

  private static Map<String, Integer> ports() {
    return OperationsApi.endpoints(app, id);
  }

  private static JsonNode waitForOperation(String opId) {
    return OperationsApi.waitFor(app, opId, Duration.ofMinutes(3));
  }

  private static String latestOperation() {
    return app.get("/v1/instances/" + id + "/operations").json().get(0).get("operationId").asText();
  }

  /** The port of the server a login through {@code port} (a proxy endpoint) lands on. */
  private static int landsOn(int port) throws SQLException {
    try (Connection c = connect(port, "shop_app", PASSWORD)) {
      return Integer.parseInt(scalar(c, "SELECT @@port"));
    }
  }

  private static Connection admin(int port) throws SQLException {
    return OperationsApi.admin(app, id, port);
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void assertError(TestApp.Reply reply, int status, String field) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    if (field != null) {
      assertThat(reply.json().get("message").asText()).startsWith(field + ": ");
    }
  }

  private static void close(Connection c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (SQLException ignored) {
      // the server ended the session
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

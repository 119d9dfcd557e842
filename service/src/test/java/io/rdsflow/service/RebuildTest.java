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
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuild through REST on one real master-slave pair (one host): a slave whose replication was broken on
 * purpose (a conflicting row) is re-created from a physical copy of the master and replicates again with
 * equal data; after a failover the fenced old master is rebuilt and the pair switches over again (the
 * master replicates from the rebuilt node); with automatic failover on, the old master is rebuilt with
 * trigger {@code auto}. Automatic failover is off (PATCH) until the last test, so the watch never acts before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildTest {
  @TempDir static Path root;
  static TestApp app;
  static String id;

  @BeforeAll
  static void createPair() throws Exception {
    app = TestApp.start(OperationsApi.oneHostConfig(root, "rebuild"));
    id = app.post("/v1/instances", LocalEngineTest.request("rebuild", "master-slave", null)).json().get("instanceId").asText();
    assertThat(app.send("PATCH", "/v1/instances/" + id, Map.of("autoFailover", false), TestApp.ADMIN_PASSWORD, "admin").status())
        .isEqualTo(200);
    LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
    try (Connection c = connect(ports().get("master"), "shop_app", PASSWORD); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(64))");
      for (int i = 1; i <= 50; i++) {
        s.execute("INSERT INTO shop.orders VALUES (" + i + ", 'before')");
      }
    }
  }

  @AfterAll
  static void stop() {
    OperationsApi.deleteAndClose(app, id, root);
  }

  @Test
  @Order(1)
  void aSlaveWithBrokenReplicationIsRebuiltFromTheMasterAndSwitchesOverAfterwards() throws Exception {
    Map<String, Integer> before = ports();
    try (Connection slave = admin(before.get("slave")); Statement s = slave.createStatement()) {
      s.execute("SET SESSION sql_log_bin = 0");
      s.execute("INSERT INTO shop.orders VALUES (1000, 'conflict written on the slave')");
    }
    try (Connection master = connect(before.get("master"), "shop_app", PASSWORD); Statement s = master.createStatement()) {
      s.execute("INSERT INTO shop.orders VALUES (1000, 'master')");
      s.execute("INSERT INTO shop.orders VALUES (1001, 'master after the conflict')");
    }
    String broken = awaitSqlThreadError(before.get("slave"));
    assertThat(broken).contains("Duplicate entry '1000'");

    TestApp.Reply refused = app.post("/v1/instances/" + id + "/operations", Map.of("type", "rebuild", "node", "master"));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.json().get("message").asText()).startsWith("node: ").contains("serves as master");

    JsonNode done = rebuild(Map.of("type", "rebuild"), "broken slave");
    assertThat(done.get("trigger").asText()).isEqualTo("api");
    assertThat(stepNames(done)).containsExactly("rdsflow_copy_master_for_rebuild/SUCCEEDED",
        "rdsflow_mark_node_for_rebuild/SUCCEEDED", "rdsflow_restore_node_from_copy/SUCCEEDED",
        "rdsflow_replicate_from_rebuilt_node/SUCCEEDED", "rdsflow_clear_rebuild_mark/SUCCEEDED",
        "rdsflow_point_proxy/SUCCEEDED");
    assertThat(done.get("steps").get(0).get("message").asText()).contains("consistent at GTID");
    assertNoSecretIn(done.toString());

    assertReplicatingAndEqual(before.get("master"), before.get("slave"));
    try (Connection slave = admin(before.get("slave"))) {
      assertThat(scalar(slave, "SELECT item FROM shop.orders WHERE id = 1000")).as("the conflicting row is gone").isEqualTo("master");
      assertThat(scalar(slave, "SELECT @@read_only")).isEqualTo("1");
    }
    assertNoLeftovers();

    switchover();
    assertThat(ports().get("master")).as("the rebuilt node serves as master").isEqualTo(before.get("slave"));
    try (Connection master = connect(before.get("slave"), "shop_app", PASSWORD); Statement s = master.createStatement()) {
      s.execute("INSERT INTO shop.orders VALUES (1002, 'written on the rebuilt node as master')");
    }
    assertReplicatingAndEqual(before.get("slave"), before.get("master"));
    switchover();
    assertThat(ports().get("master")).isEqualTo(before.get("master"));
    assertReplicatingAndEqual(before.get("master"), before.get("slave"));
  }

  private static void switchover() {
    TestApp.Reply switchover = app.post("/v1/instances/" + id + "/operations", Map.of("type", "switchover"));
    assertThat(switchover.status()).as(switchover.toString()).isEqualTo(202);
    JsonNode switched = waitForOperation(switchover.json().get("operationId").asText());
    assertThat(switched.get("status").asText()).as(switched.toString()).isEqualTo("SUCCEEDED");
  }

  @Test
  @Order(2)
  void afterAFailoverTheFencedOldMasterIsRebuiltAndThePairSwitchesOverAgain() throws Exception {
    Map<String, Integer> before = ports();
    String oldWriter = nodeName(before.get("master"));
    killServer(oldWriter);
    TestApp.Reply failover = app.post("/v1/instances/" + id + "/operations", Map.of("type", "failover"));
    assertThat(failover.status()).as(failover.toString()).isEqualTo(202);
    JsonNode failed = waitForOperation(failover.json().get("operationId").asText());
    assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("SUCCEEDED");
    assertThat(needsRebuild(oldWriter)).isTrue();
    assertThat(app.post("/v1/instances/" + id + "/operations", Map.of("type", "switchover")).status()).isEqualTo(422);
    try (Connection master = connect(before.get("slave"), "shop_app", PASSWORD); Statement s = master.createStatement()) {
      s.execute("INSERT INTO shop.orders VALUES (2000, 'after the failover')");
    }

    JsonNode done = rebuild(Map.of("type", "rebuild"), "fenced old master");
    assertThat(done.get("steps").get(2).get("node").asText()).as("the marked node is the default").isEqualTo(oldWriter);
    assertThat(needsRebuild(oldWriter)).isFalse();
    assertReplicatingAndEqual(before.get("slave"), before.get("master"));
    try (Connection rebuilt = admin(before.get("master"))) {
      assertThat(scalar(rebuilt, "SELECT item FROM shop.orders WHERE id = 2000")).isEqualTo("after the failover");
      assertThat(scalar(rebuilt, "SELECT @@read_only")).isEqualTo("1");
    }

    switchover();
    assertThat(ports().get("master")).isEqualTo(before.get("master"));
    try (Connection master = connect(before.get("master"), "shop_app", PASSWORD); Statement s = master.createStatement()) {
      s.execute("INSERT INTO shop.orders VALUES (2001, 'written on the rebuilt node as master')");
    }
    assertReplicatingAndEqual(before.get("master"), before.get("slave"));
  }

  @Test
  @Order(3)
  void withAutomaticFailoverOnTheOldMasterIsRebuiltAutomatically() throws Exception {
    Map<String, Integer> before = ports();
    String oldWriter = nodeName(before.get("master"));
    assertThat(app.send("PATCH", "/v1/instances/" + id, Map.of("autoFailover", true), TestApp.ADMIN_PASSWORD, "admin").status())
        .isEqualTo(200);
    long killed = System.nanoTime();
    killServer(oldWriter);
    JsonNode failover = waitForAuto("failover", Duration.ofSeconds(60));
    assertThat(failover.get("status").asText()).as(failover.toString()).isEqualTo("SUCCEEDED");
    JsonNode rebuild = waitForAuto("rebuild", Duration.ofMinutes(3));
    System.out.println("automatic rebuild: " + rebuild.get("status").asText() + " " + (System.nanoTime() - killed) / 1_000_000
        + " ms after the kill; " + rebuild.get("startedAt").asText() + " .. " + rebuild.get("finishedAt").asText());
    assertThat(rebuild.get("status").asText()).as(rebuild.toString()).isEqualTo("SUCCEEDED");
    assertThat(rebuild.get("steps").get(2).get("node").asText()).isEqualTo(oldWriter);
    assertThat(needsRebuild(oldWriter)).isFalse();
    assertThat(ports().get("master")).isEqualTo(before.get("slave"));
    assertReplicatingAndEqual(before.get("slave"), before.get("master"));
    Metrics.awaitFreshLivePart();
    double total = Metrics.parse(app.send("GET", "/metrics", null, null, null).body())
        .value("rdsflow_operations_total", Map.of("type", "rebuild", "trigger", "auto", "result", "succeeded")).orElse(0);
    assertThat(total).isEqualTo(1.0);
  }

  /** Posts a rebuild, waits for it and prints how long it took (bench notes). */
  private static JsonNode rebuild(Map<String, ?> request, String what) {
    long start = System.nanoTime();
    TestApp.Reply accepted = app.post("/v1/instances/" + id + "/operations", request);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    JsonNode done = waitForOperation(accepted.json().get("operationId").asText());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("type").asText()).isEqualTo("rebuild");
    StringBuilder steps = new StringBuilder();
    done.get("steps").forEach(s -> steps.append("\n  ").append(s.get("name").asText()).append(" (").append(s.get("node").asText())
        .append("): ").append(s.get("message").asText()));
    System.out.println("rebuild of the " + what + ": SUCCEEDED in " + millis + " ms" + steps);
    return done;
  }

  private static void assertReplicatingAndEqual(int masterPort, int slavePort) throws Exception {
    try (Connection master = admin(masterPort); Connection slave = admin(slavePort)) {
      String position = scalar(master, "SELECT @@gtid_binlog_pos");
      assertThat(scalar(slave, "SELECT MASTER_GTID_WAIT('" + position + "', 30)")).as("slave applied " + position).isEqualTo("0");
      assertThat(rows(slave)).isEqualTo(rows(master));
      assertThat(scalar(slave, "CHECKSUM TABLE shop.orders", 2)).isEqualTo(scalar(master, "CHECKSUM TABLE shop.orders", 2));
      for (Connection c : List.of(master, slave)) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
          assertThat(rs.next()).as("replication configured").isTrue();
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          String io = rs.getString("Slave_IO_Running");
          String sql = rs.getString("Slave_SQL_Running");
          while (!"Yes".equals(io) && System.nanoTime() < deadline) { // a master's IO thread reconnects to a restarted peer
            Thread.sleep(200);
            try (ResultSet again = s.executeQuery("SHOW SLAVE STATUS")) {
              again.next();
              io = again.getString("Slave_IO_Running");
              sql = again.getString("Slave_SQL_Running");
            }
          }
          assertThat(io + "/" + sql).as("replication threads").isEqualTo("Yes/Yes");
        }
      }
    }
  }

  private static String awaitSqlThreadError(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (Connection c = admin(port); Statement s = c.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
          if (rs.next() && "No".equals(rs.getString("Slave_SQL_Running")) && !rs.getString("Last_SQL_Error").isBlank()) {
            return rs.getString("Last_SQL_Error");
          }
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the slave's SQL thread did not stop on the conflicting row");
  }

  /** No secret in what the operation shows: the root, admin and replication passwords. */
  private static void assertNoSecretIn(String text) {
    for (String secret : secrets()) {
      assertThat(text).doesNotContain(secret);
    }
  }

  /** The copy, the moved-aside data and the option file with the password are gone; the tools' logs hold no secret. */
  private static void assertNoLeftovers() throws Exception {
    Path instance = root.resolve("h0").resolve(id);
    assertThat(instance.resolve(".rebuild")).doesNotExist();
    for (String node : List.of("master", "slave")) {
      assertThat(instance.resolve(node).resolve("before-rebuild")).doesNotExist();
      assertThat(instance.resolve(node).resolve("data-rebuilding")).doesNotExist();
      try (Stream<Path> tmp = Files.list(instance.resolve(node).resolve("tmp"))) {
        assertThat(tmp.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".cnf"));
      }
      for (String log : List.of("rebuild-copy.log", "rebuild-restore.log")) {
        Path file = instance.resolve(node).resolve("log").resolve(log);
        if (Files.exists(file)) {
          assertNoSecretIn(Files.readString(file));
        }
      }
    }
  }

  private static List<String> secrets() {
    return OperationsApi.secrets(app, id);
  }

  private static JsonNode waitForAuto(String type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode list = null;
    while (System.nanoTime() < deadline) {
      list = app.get("/v1/instances/" + id + "/operations").json();
      for (JsonNode op : list) {
        if (op.get("type").asText().equals(type) && op.get("trigger").asText().equals("auto")
            && !op.get("status").asText().equals("RUNNING")) {
          return op;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no finished automatic " + type + " within " + timeout + ": " + list);
  }

  private static void killServer(String node) throws Exception {
    long pid = Long.parseLong(Files.readString(root.resolve("h0").resolve(id).resolve(node).resolve("run/mysqld.pid")).trim());
    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    Thread.sleep(1500);
  }

  private static boolean needsRebuild(String node) {
    Jdbi jdbi = app.application().parts().db().jdbi();
    return jdbi.withHandle(h -> h.createQuery("SELECT needs_rebuild FROM instance_nodes WHERE ins_id = :i AND role = :r")
        .bind("i", id).bind("r", node).mapTo(Integer.class).one()) == 1;
  }

  private static String nodeName(int port) {
    Jdbi jdbi = app.application().parts().db().jdbi();
    return jdbi.withHandle(h -> h.createQuery("SELECT role FROM instance_nodes WHERE ins_id = :i AND port = :p")
        .bind("i", id).bind("p", port).mapTo(String.class).one());
  }

  private static List<String> stepNames(JsonNode op) {
    List<String> names = new ArrayList<>();
    op.get("steps").forEach(s -> names.add(s.get("name").asText() + "/" + s.get("status").asText()));
    return names;
  }

  private static List<String> rows(Connection c) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, item FROM shop.orders ORDER BY id")) {
      while (rs.next()) {
        rows.add(rs.getInt(1) + ":" + rs.getString(2));
      }
    }
    return rows;
  }

  private static Map<String, Integer> ports() {
    return OperationsApi.endpoints(app, id);
  }

  private static JsonNode waitForOperation(String opId) {
    return OperationsApi.waitFor(app, opId, Duration.ofMinutes(3));
  }

  private static Connection admin(int port) throws SQLException {
    return OperationsApi.admin(app, id, port);
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    return scalar(c, sql, 1);
  }

  private static String scalar(Connection c, String sql, int column) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(column);
    }
  }
}

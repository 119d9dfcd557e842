package io.rdsflow.service;

import static io.rdsflow.service.LocalEngineTest.PASSWORD;
import static io.rdsflow.service.LocalEngineTest.connect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.activities.local.ParameterCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modify-parameters} through REST on one real master-slave pair: a refused request changes nothing, a
 * dynamic change is live on both nodes and in both my.cnf without a restart, a static one restarts the nodes
 * one at a time while the writer endpoint keeps answering except around the switchover.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ParametersTest {
  @TempDir static Path root;
  static TestApp app;
  static String id;

  @BeforeAll
  static void createPair() throws Exception {
    Map<String, String> config = OperationsApi.oneHostConfig(root, "params");
    config.put("failover.enabled", "false");
    app = TestApp.start(config);
    id = OperationsApi.createPairWithOrders(app, "params");
  }

  @AfterAll
  static void stop() {
    OperationsApi.deleteAndClose(app, id, root);
  }

  @Test
  @Order(1)
  void aWrongParameterIs422AndChangesNothing() throws Exception {
    String masterCnf = Files.readString(cnf("master"));
    String slaveCnf = Files.readString(cnf("slave"));
    assertError(modify(Map.of("max_connections", "5")), "parameters.max_connections", "between");
    assertError(modify(Map.of("max_connections", "800", "no_such_knob", "1")), "parameters.no_such_knob", "not a settable");
    assertError(modify(Map.of("lower_case_table_names", "1")), "parameters.lower_case_table_names", "never change");
    assertError(modify(Map.of()), "parameters", "required");
    assertError(app.post("/v1/instances/" + id + "/operations", Map.of("type", "resize", "instanceClass", "mysql.n2.medium.2c")),
        "type", "one server version installed");
    assertError(app.post("/v1/instances/" + id + "/operations", Map.of("type", "upgrade-minor")), "type", "one server version");
    assertThat(app.get("/v1/instances/" + id + "/operations").json().size()).as("no operation row").isZero();
    assertThat(Files.readString(cnf("master"))).isEqualTo(masterCnf);
    assertThat(Files.readString(cnf("slave"))).isEqualTo(slaveCnf);
    for (String node : List.of("master", "slave")) {
      assertThat(global(node, "max_connections")).isEqualTo("200");
    }
  }

  @Test
  @Order(2)
  void aDynamicChangeIsLiveOnBothNodesAndInMyCnfWithoutARestart() throws Exception {
    Map<String, Long> pids = Map.of("master", pid("master"), "slave", pid("slave"));
    JsonNode done = run(Map.of("max_connections", "800", "wait_timeout", "600", "slow_query_log", "off"));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(names(done)).containsExactly("rdsflow_persist_parameters", "rdsflow_set_parameters_live", "rdsflow_set_parameters_live");
    assertThat(done.get("steps").get(1).get("message").asText()).contains("live now: max_connections=800");
    for (String node : List.of("master", "slave")) {
      assertThat(global(node, "max_connections")).isEqualTo("800");
      assertThat(global(node, "wait_timeout")).isEqualTo("600");
      assertThat(global(node, "slow_query_log")).isEqualTo("0");
      assertThat(Files.readAllLines(cnf(node))).contains("max_connections=800", "wait_timeout=600", "slow_query_log=OFF");
      assertThat(pid(node)).as("node " + node + " was not restarted").isEqualTo(pids.get(node));
    }
  }

  @Test
  @Order(3)
  void aStaticChangeRestartsTheNodesOneAtATimeWhileTheWriterKeepsAnswering() throws Exception {
    long masterPid = pid("master");
    long slavePid = pid("slave");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    AtomicLong longestGap = new AtomicLong();
    Thread writer = new Thread(() -> writeInALoop(running, written, longestGap));
    writer.start();
    Thread.sleep(500);
    Instant started = Instant.now();
    JsonNode done;
    try {
      done = run(Map.of("performance_schema", "ON", "max_connections", "900"));
      Thread.sleep(500);
    } finally {
      running.set(false);
      writer.join();
    }
    long tookMs = Duration.between(started, Instant.now()).toMillis();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    List<String> names = names(done);
    assertThat(names.subList(0, 11)).containsExactly("rdsflow_persist_parameters", "rdsflow_set_parameters_live",
        "rdsflow_set_parameters_live", "rdsflow_restart_node", "rdsflow_check_replica", "rdsflow_stop_writes",
        "rdsflow_wait_replica_applied", "rdsflow_open_writes", "rdsflow_swap_roles", "rdsflow_point_proxy", "rdsflow_restart_node");
    String live = done.get("steps").get(1).get("message").asText();
    assertThat(live).contains("live now: max_connections=900").contains("need a restart").contains("performance_schema=ON");
    JsonNode first = done.get("steps").get(3);
    JsonNode second = done.get("steps").get(10);
    assertThat(first.get("node").asText()).as("the slave first").isEqualTo("slave");
    assertThat(second.get("node").asText()).isEqualTo("master");
    assertThat(Instant.parse(first.get("finishedAt").asText())).isBefore(Instant.parse(second.get("startedAt").asText()));
    assertThat(pid("master")).isNotEqualTo(masterPid);
    assertThat(pid("slave")).isNotEqualTo(slavePid);
    for (String node : List.of("master", "slave")) {
      assertThat(global(node, "performance_schema")).isEqualTo("1");
      assertThat(global(node, "max_connections")).isEqualTo("900");
      assertThat(Files.readAllLines(cnf(node))).contains("performance_schema=ON", "max_connections=900");
    }
    long switchoverMs = Duration.between(Instant.parse(done.get("steps").get(5).get("startedAt").asText()),
        Instant.parse(done.get("steps").get(9).get("finishedAt").asText())).toMillis();
    System.out.println("modify-parameters (static): " + tookMs + " ms, " + written.get() + " writes, longest write gap "
        + longestGap.get() + " ms, switchover steps " + switchoverMs + " ms");
    assertThat(written.get()).isGreaterThan(20);
    assertThat(longestGap.get()).as("writes stop only around the switchover, not for a restart")
        .isLessThan(Math.max(3000, switchoverMs + 2000));
  }

  @Test
  @Order(4)
  void theCatalogSaysRightWhichParametersTheServerChangesLive() throws Exception {
    int port = app.application().parts().db().jdbi().withHandle(h -> h.createQuery(
        "SELECT port FROM instance_nodes WHERE ins_id = :i AND role = 'slave'").bind("i", id).mapTo(Integer.class).one());
    List<String> wrong = new ArrayList<>();
    try (Connection c = OperationsApi.admin(app, id, port)) {
      for (String name : ParameterCatalog.names()) {
        String variable = name.equals("transaction_isolation") && !known(c, name) ? "tx_isolation" : name; // MariaDB < 11.1
        boolean live;
        try (Statement st = c.createStatement()) {
          st.execute("SET GLOBAL " + variable + " = @@global." + variable); // the value it has: nothing changes
          live = true;
        } catch (SQLException e) {
          assertThat(e.getErrorCode()).as(name + ": " + e.getMessage()).isEqualTo(1238); // read only
          live = false;
        }
        boolean static_ = ParameterCatalog.needsRestart(name) || ParameterCatalog.fixedAtInit(name);
        if (live == static_) {
          wrong.add(name + (live ? " is dynamic" : " is read only"));
        }
      }
    }
    assertThat(wrong).as("ParameterCatalog.needsRestart/fixedAtInit against this server").isEmpty();
  }

  private static boolean known(Connection c, String variable) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + variable + "'")) {
      return rs.next();
    }
  }

  private static TestApp.Reply modify(Map<String, String> parameters) {
    return app.post("/v1/instances/" + id + "/operations", Map.of("type", "modify-parameters", "parameters", parameters));
  }

  private static JsonNode run(Map<String, String> parameters) {
    TestApp.Reply accepted = modify(parameters);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    return OperationsApi.waitFor(app, accepted.json().get("operationId").asText(), Duration.ofMinutes(5));
  }

  private static List<String> names(JsonNode op) {
    List<String> out = new ArrayList<>();
    op.get("steps").forEach(s -> {
      if (!s.get("status").asText().equals("SKIPPED")) {
        out.add(s.get("name").asText());
      }
    });
    return out;
  }

  private static Path cnf(String node) {
    return root.resolve("h0").resolve(id).resolve(node).resolve("my.cnf");
  }

  private static long pid(String node) throws Exception {
    return Long.parseLong(Files.readString(root.resolve("h0").resolve(id).resolve(node).resolve("run/mysqld.pid")).trim());
  }

  /** A global variable of the node named {@code node} (master/slave: its name, not the role it serves in). */
  private static String global(String node, String name) throws SQLException {
    int port = app.application().parts().db().jdbi().withHandle(h -> h.createQuery(
        "SELECT port FROM instance_nodes WHERE ins_id = :i AND role = :r").bind("i", id).bind("r", node).mapTo(Integer.class).one());
    try (Connection c = OperationsApi.admin(app, id, port); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@global." + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void writeInALoop(AtomicBoolean running, AtomicInteger written, AtomicLong longestGap) {
    long lastOk = System.nanoTime();
    Connection c = null;
    while (running.get()) {
      try {
        if (c == null) {
          c = connect(ports().get("writer"), "shop_app", PASSWORD);
        }
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO shop.orders(item) VALUES ('w')");
        }
        written.incrementAndGet();
        long now = System.nanoTime();
        longestGap.accumulateAndGet((now - lastOk) / 1_000_000, Math::max);
        lastOk = now;
        Thread.sleep(20);
      } catch (SQLException e) {
        try {
          if (c != null) {
            c.close();
          }
        } catch (SQLException ignored) {
          // the server ended the session
        }
        c = null;
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static Map<String, Integer> ports() {
    return OperationsApi.endpoints(app, id);
  }

  private static void assertError(TestApp.Reply reply, String field, String text) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
    assertThat(reply.json().get("message").asText()).startsWith(field + ": ").contains(text);
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.service.temporal.Agent;
import io.rdsflow.testkit.TestProcesses;
import io.rdsflow.workflows.create.CreateInput;
import io.rdsflow.workflows.create.LocalPlan;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.Topology;
import io.rdsflow.workflows.steps.PlannedStep;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CreateInstance on the local engine through the REST API, with real MariaDB processes on three "hosts". */
class LocalEngineTest {
  static final String PASSWORD = "Sh0p-Secret!";
  @TempDir static Path root;
  static LocalFleet fleet;
  static TestApp app;
  /** The port ranges of the hosts: free ports taken when the class starts, none fixed. */
  static PortBlock h0Ports;
  static PortBlock h1Ports;
  static PortBlock h2Ports;
  static PortBlock h3Ports;

  @BeforeAll
  static void start() throws Exception {
    h0Ports = PortBlock.free(10);
    h1Ports = PortBlock.free(10);
    h2Ports = PortBlock.free(10);
    h3Ports = PortBlock.free(10);
    fleet = new LocalFleet(root, "local_engine", h0Ports.range());
    app = fleet.app;
    fleet.startAgent("h1", h1Ports.range());
    fleet.startAgent("h2", h2Ports.range());
  }

  @AfterAll
  static void stop() {
    fleet.close();
  }

  static Map<String, Object> request(String name, String topology, Map<String, Object> placement) {
    Map<String, Object> m = new java.util.LinkedHashMap<>(Map.of("name", name, "engine", "local", "engineVersion", localVersion(),
        "topology", topology,
        "parameters", Map.of("innodb_buffer_pool_size", "32M", "max_connections", "200"),
        "whitelist", List.of("127.0.0.1"),
        "accounts", List.of(Map.of("name", "shop_app", "password", PASSWORD,
            "privileges", List.of(Map.of("database", "shop", "privilege", "ReadWrite")))),
        "databases", List.of(Map.of("name", "shop", "charset", "utf8mb4")),
        "timeZone", "+08:00"));
    if (placement != null) {
      m.put("placement", placement);
    }
    return m;
  }

  /** What this machine's server binaries serve, e.g. 10.11. */
  static String localVersion() {
    return new io.rdsflow.mysqld.BinaryLocator(null, Path.of(System.getProperty("java.io.tmpdir")))
        .locate().majorMinor();
  }

  static JsonNode waitForStatus(TestApp app, String id, String status, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = app.get("/v1/instances/" + id).json();
      if (last.get("status").asText().equals(status)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("instance " + id + " not " + status + " in " + timeout + ": " + last + "\n"
        + app.get("/v1/instances/" + id + "/steps").body());
  }

  @Test
  void masterSlaveOnTwoHostsReplicatesRefusesWritesOnTheSlaveAndDeletesCleanly() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      TestApp.Reply accepted = app.post("/v1/instances", request("shop", "master-slave", Map.of("master", "h1", "slave", "h2")));
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      String id = accepted.json().get("instanceId").asText();
      String workflowId = accepted.json().get("workflowId").asText();
      JsonNode running = waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));

      Map<String, Integer> ports = new java.util.HashMap<>();
      for (JsonNode e : running.get("endpoints")) {
        ports.put(e.get("role").asText(), e.get("port").asInt());
      }
      assertThat(ports.get("master")).isBetween(h1Ports.first(), h1Ports.last());
      assertThat(ports.get("slave")).isBetween(h2Ports.first(), h2Ports.last());

      try (Connection master = connect(ports.get("master"), "shop_app", PASSWORD);
          Connection slave = connect(ports.get("slave"), "shop_app", PASSWORD)) {
        exec(master, "CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(32))");
        exec(master, "INSERT INTO shop.orders(item) VALUES ('book')");
        assertThat(eventually(() -> scalar(slave, "SELECT item FROM shop.orders"))).isEqualTo("book");
        assertThatThrownBy(() -> exec(slave, "INSERT INTO shop.orders(item) VALUES ('pen')"))
            .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        assertThat(scalar(master, "SELECT @@time_zone")).isEqualTo("+08:00");
      }
      assertThatThrownBy(() -> connect(ports.get("master"), "root", "")).isInstanceOf(SQLException.class);

      JsonNode steps = app.get("/v1/instances/" + id + "/steps").json();
      assertThat(steps.get("status").asText()).isEqualTo("SUCCEEDED");
      List<String> names = new ArrayList<>();
      steps.get("steps").forEach(s -> {
        names.add(s.get("name").asText());
        assertThat(s.get("status").asText()).as(s.toString()).isIn("SUCCEEDED", "SKIPPED");
      });
      List<String> planned = LocalPlan.steps(new CreateInput(id, Engine.LOCAL, Topology.MASTER_SLAVE, localVersion(), true))
          .stream().map(PlannedStep::name).toList();
      assertThat(names).containsExactlyElementsOf(planned);
      assertThat(names).startsWith("do_init", "do_ensure_minor_version", "do_build_params");
      assertThat(steps.get("progress").asText()).isEqualTo(planned.size() + "/" + planned.size());

      String history = app.application().parts().temporal().client().fetchHistory(workflowId).getHistory().toString();
      assertThat(history).contains("do_init_mysql_db_slave").doesNotContain(PASSWORD);
      assertThat(logs.all()).doesNotContain(PASSWORD);

      Path masterHome = root.resolve("h1").resolve(id).resolve("master");
      var status = new ProcessBuilder(masterHome.resolve("rdsflow-initd.sh").toString(), "status").start();
      assertThat(status.waitFor()).isZero();
      assertThat(TestProcesses.servers(root.resolve("h1").resolve(id))).hasSize(1);
      assertThat(TestProcesses.servers(root.resolve("h2").resolve(id))).hasSize(1);
      assertThat(TestProcesses.proxies(root.resolve("h1").resolve(id))).as("the proxy on the master's host").hasSize(1);
      assertThat(TestProcesses.proxies(root.resolve("h2").resolve(id))).isEmpty();

      assertThat(app.delete("/v1/instances/" + id).status()).isEqualTo(202);
      waitForStatus(app, id, "DELETED", Duration.ofMinutes(2));
      assertThat(TestProcesses.under(root.resolve("h1").resolve(id))).isEmpty();
      assertThat(TestProcesses.under(root.resolve("h2").resolve(id))).isEmpty();
      assertThat(root.resolve("h1").resolve(id)).doesNotExist();
      assertThat(root.resolve("h2").resolve(id)).doesNotExist();
      assertThat(allocatedPorts(app, id)).isZero();
      assertThat(Files.readString(root.resolve("h1").resolve("instance.conf"))).doesNotContain(ports.get("master") + " = 1");
      assertThat(app.delete("/v1/instances/" + id).json().get("status").asText()).isEqualTo("DELETED");
    }
  }

  @Test
  void aPortHeldByAForeignListenerFailsTheStepAndLeavesNothingBehind() throws Exception {
    int first = h0Ports.first(); // the port h0 allocates first
    try (ServerSocket foreign = new ServerSocket(first, 1, InetAddress.getByName("127.0.0.1"))) {
      TestApp.Reply accepted = app.post("/v1/instances", request("blocked", "single", Map.of("master", "h0")));
      String id = accepted.json().get("instanceId").asText();
      JsonNode failed = waitForStatus(app, id, "FAILED", Duration.ofMinutes(1));
      assertThat(failed.get("error").asText())
          .contains("do_check_port_and_dir_exists_and_makesure_not_exist").contains("port " + first + " ").contains("in use");
      JsonNode steps = app.get("/v1/instances/" + id + "/steps").json();
      Map<String, String> byName = new java.util.HashMap<>();
      steps.get("steps").forEach(s -> byName.putIfAbsent(s.get("name").asText(), s.get("status").asText()));
      assertThat(byName.get("do_check_port_and_dir_exists_and_makesure_not_exist")).isEqualTo("FAILED");
      assertThat(byName.get("do_init")).isEqualTo("COMPENSATED");
      assertThat(byName.get("do_make_dir")).isEqualTo("PENDING");
      assertThat(root.resolve("h0").resolve(id)).doesNotExist();
      assertThat(allocatedPorts(app, id)).isZero();
      assertThat(TestProcesses.under(root.resolve("h0").resolve(id))).isEmpty();
    }
  }

  @Test
  void aWorkerStoppedMidFlowFinishesTheInstanceWhenItComesBack() throws Exception {
    Agent h2 = null;
    TestApp.Reply refused = app.post("/v1/instances", request("resume", "master-slave", Map.of("master", "h1", "slave", "h3")));
    // h3 has no agent yet: placing a node there is refused up front... so start it, then stop it mid-flow.
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.json().get("message").asText()).startsWith("placement.slave").contains("h3");

    h2 = fleet.startAgent("h3", h3Ports.range());
    TestApp.Reply accepted = app.post("/v1/instances", request("resume2", "master-slave", Map.of("master", "h1", "slave", "h3")));
    String id = accepted.json().get("instanceId").asText();
    waitForStep(app, id, "do_make_dir", "SUCCEEDED");
    fleet.stopAgent(h2);
    Thread.sleep(2000);
    assertThat(app.get("/v1/instances/" + id).json().get("status").asText()).isEqualTo("CREATING");
    fleet.startAgent("h3", h3Ports.range());
    waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
    assertThat(TestProcesses.servers(root.resolve("h3").resolve(id))).hasSize(1);
    assertThat(TestProcesses.servers(root.resolve("h1").resolve(id))).hasSize(1);
    app.delete("/v1/instances/" + id);
    waitForStatus(app, id, "DELETED", Duration.ofMinutes(2));
  }

  @Test
  void deleteWhileCreatingCancelsAndCompensates() throws Exception {
    String id = app.post("/v1/instances", request("cancelled", "single", Map.of("master", "h0"))).json()
        .get("instanceId").asText();
    waitForStep(app, id, "do_make_dir", "SUCCEEDED");
    assertThat(app.delete("/v1/instances/" + id).json().get("status").asText()).isEqualTo("CANCELLING");
    JsonNode failed = waitForStatus(app, id, "FAILED", Duration.ofMinutes(1));
    assertThat(failed.get("error").asText()).contains("cancelled");
    assertThat(root.resolve("h0").resolve(id)).doesNotExist();
    assertThat(TestProcesses.under(root.resolve("h0").resolve(id))).isEmpty();
    assertThat(allocatedPorts(app, id)).isZero();
  }

  @Test
  void badRequestsAreRejectedBeforeAnythingIsStored() {
    int before = app.get("/v1/instances").json().size();
    Map<String, Object> base = request("valid-name", "single", null);
    assertField(with(base, "name", "1bad name"), "name");
    assertField(with(base, "engineVersion", "5.1"), "engineVersion");
    assertField(with(base, "topology", "ring"), "topology");
    assertField(with(base, "whitelist", List.of("10.0.0.300")), "whitelist[0]");
    assertField(with(base, "whitelist", List.of("10.0.0.0/33")), "whitelist[0]");
    assertField(with(base, "parameters", Map.of("innodb_buffer_pool_size", "1K")), "parameters.innodb_buffer_pool_size");
    assertField(with(base, "parameters", Map.of("skip_grant_tables", "ON")), "parameters.skip_grant_tables");
    assertField(with(base, "accounts", List.of(Map.of("name", "root", "password", PASSWORD))), "accounts[0].name");
    assertField(with(base, "accounts", List.of(Map.of("name", "app", "password", "short"))), "accounts[0].password");
    assertField(with(base, "accounts", List.of(Map.of("name", "app", "password", "Pass'w0rd!x"))), "accounts[0].password");
    assertField(with(base, "accounts", List.of(Map.of("name", "app", "password", PASSWORD),
        Map.of("name", "app", "password", PASSWORD))), "accounts[1].name");
    assertField(with(base, "accounts", List.of(Map.of("name", "app", "password", PASSWORD,
        "privileges", List.of(Map.of("database", "shop", "privilege", "Owner"))))), "accounts[0].privileges[0].privilege");
    assertField(with(base, "accounts", List.of(Map.of("name", "app", "password", PASSWORD,
        "privileges", List.of(Map.of("database", "other", "privilege", "ReadOnly"))))), "accounts[0].privileges[0].database");
    assertField(with(base, "databases", List.of(Map.of("name", "mysql"))), "databases[0].name");
    assertField(with(base, "databases", List.of(Map.of("name", "shop"), Map.of("name", "shop"))), "databases[1].name");
    assertField(with(base, "timeZone", "Mars/Olympus"), "timeZone");
    assertField(with(base, "backup", Map.of("retentionDays", 0, "preferredTime", "02:00")), "backup.retentionDays");
    assertField(with(base, "color", "blue"), "color");
    assertThat(app.get("/v1/instances").json().size()).isEqualTo(before);
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> m = new java.util.LinkedHashMap<>(base);
    m.remove("placement");
    m.put(key, value);
    return m;
  }

  private static void assertField(Map<String, Object> body, String field) {
    TestApp.Reply r = app.post("/v1/instances", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.json().get("message").asText()).as(r.toString()).startsWith(field);
  }

  static void waitForStep(TestApp app, String id, String step, String status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode s : app.get("/v1/instances/" + id + "/steps").json().get("steps")) {
        if (s.get("name").asText().equals(step) && s.get("status").asText().equals(status)) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError(step + " never " + status);
  }

  static int allocatedPorts(TestApp app, String id) {
    return app.application().parts().db().jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM port_allocations WHERE ins_id = :i").bind("i", id).mapTo(Integer.class).one());
  }

  static Connection connect(int port, String user, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?sslMode=disable&connectTimeout=3000", user, password);
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  interface SqlSupplier {
    String get() throws SQLException;
  }

  static String eventually(SqlSupplier s) throws Exception {
    SQLException last = null;
    for (int i = 0; i < 100; i++) {
      try {
        String v = s.get();
        if (v != null) {
          return v;
        }
      } catch (SQLException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    if (last != null) {
      throw last;
    }
    throw new AssertionError("no value");
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.activities.mysqld.BinaryLocator;
import io.rdsflow.activities.mysqld.PrivateDatabaseServer;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collection of two real MariaDB servers registered as external instances: sessions by user, client
 * and database on /metrics, custom SQL metrics, and a stopped target going to rds_up 0 alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CollectionTest {
  static final String MONITOR_PASSWORD = "Monitor-Pass-1";
  @TempDir static Path root;
  static TestApp app;
  static PrivateDatabaseServer serverA;
  static PrivateDatabaseServer serverB;
  static final List<Connection> sessions = new ArrayList<>();
  static final ExecutorService sleepers = Executors.newFixedThreadPool(4);
  static String idA;
  static String idB;

  @BeforeAll
  static void start() throws Exception {
    BinaryLocator locator = new BinaryLocator(null, root.resolve("dist"));
    serverA = PrivateDatabaseServer.start(locator.locate(), root.resolve("server-a"), 0);
    serverB = PrivateDatabaseServer.start(locator.locate(), root.resolve("server-b"), 0);
    for (PrivateDatabaseServer s : List.of(serverA, serverB)) {
      try (Connection c = DriverManager.getConnection(s.jdbcUrl(""), s.user(), s.password()); Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE shop");
        st.execute("CREATE DATABASE crm");
        st.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, status VARCHAR(16))");
        st.execute("INSERT INTO shop.orders VALUES (1, 'new'), (2, 'new'), (3, 'paid')");
        st.execute("CREATE USER monitor@'127.0.0.1' IDENTIFIED BY '" + MONITOR_PASSWORD + "'");
        st.execute("GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO monitor@'127.0.0.1'");
        for (String u : List.of("app1", "app2")) {
          st.execute("CREATE USER " + u + "@'127.0.0.1' IDENTIFIED BY 'App-Pass-1'");
          st.execute("GRANT ALL ON shop.* TO " + u + "@'127.0.0.1'");
          st.execute("GRANT ALL ON crm.* TO " + u + "@'127.0.0.1'");
        }
      }
    }
    Map<String, String> config = TestApp.config(root.resolve("app"), "collection");
    config.put("collection.jdbcPeriod", "2s");
    config.put("collection.targetTimeout", "1500ms");
    app = TestApp.start(config);
    idA = register("server-a", serverA, Map.of("team", "payments", "env", "test"));
    idB = register("server-b", serverB, Map.of("team", "crm"));
    // server A: 3 sleeping sessions of app1 on shop, 2 of app2 running SELECT SLEEP on crm
    for (int i = 0; i < 3; i++) {
      sessions.add(session(serverA, "app1", "shop"));
    }
    for (int i = 0; i < 2; i++) {
      Connection c = session(serverA, "app2", "crm");
      sessions.add(c);
      sleepers.submit(() -> {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT SLEEP(120)");
        } catch (SQLException ignored) {
          // closed at the end of the test
        }
      });
    }
    // server B: one sleeping session of app1 on crm
    sessions.add(session(serverB, "app1", "crm"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Connection c : sessions) {
      try {
        c.abort(Runnable::run); // close() would wait for the running SELECT SLEEP
      } catch (SQLException ignored) {
        // already closed by a stopped server
      }
    }
    sleepers.shutdownNow();
    if (app != null) {
      app.close();
    }
    serverA.close();
    serverB.close();
    TestProcesses.stopAllUnder(root);
  }

  static String register(String name, PrivateDatabaseServer s, Map<String, String> labels) {
    TestApp.Reply r = app.post("/v1/instances/register", Map.of("engine", "external", "name", name, "host", "127.0.0.1",
        "port", s.server().port(), "user", "monitor", "password", MONITOR_PASSWORD, "labels", labels));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("instanceId").asText();
  }

  static Connection session(PrivateDatabaseServer s, String user, String db) throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + s.server().port() + "/" + db + "?sslMode=disable",
        user, "App-Pass-1");
  }

  static Metrics scrapeUntil(Predicate<Metrics> ready, Duration timeout) throws InterruptedException {
    return CollectionTestSupport.scrapeUntil(app, ready, timeout);
  }

  static double value(Metrics m, String name, Map<String, String> labels) {
    return m.value(name, labels).orElse(-1);
  }

  @Test
  void sessionsByUserClientAndDatabaseOfBothServers() throws Exception {
    Map<String, String> a = Map.of("instance_id", idA);
    Metrics m = scrapeUntil(x -> value(x, "rds_sessions_by_user", Map.of("instance_id", idA, "user", "app2")) == 2
        && value(x, "rds_sessions_by_user", Map.of("instance_id", idA, "user", "app1")) == 3
        && value(x, "rds_sessions_by_user", Map.of("instance_id", idB, "user", "app1")) == 1, Duration.ofSeconds(30));
    assertThat(value(m, "rds_up", a)).isEqualTo(1);
    assertThat(value(m, "rds_sessions_by_db", Map.of("instance_id", idA, "db", "shop"))).isEqualTo(3);
    assertThat(value(m, "rds_sessions_by_db", Map.of("instance_id", idA, "db", "crm"))).isEqualTo(2);
    assertThat(value(m, "rds_sessions_by_client", Map.of("instance_id", idA, "client", "127.0.0.1"))).isGreaterThanOrEqualTo(5);
    assertThat(value(m, "rds_sessions", Map.of("instance_id", idA, "state", "active"))).isGreaterThanOrEqualTo(2);
    assertThat(value(m, "rds_session_max_active_seconds", a)).isGreaterThanOrEqualTo(0);
    assertThat(value(m, "rds_threads_connected", a)).isGreaterThanOrEqualTo(6);
    assertThat(value(m, "rds_questions_total", a)).isGreaterThan(0);
    assertThat(m.find("rds_sessions_by_user", Map.of("instance_id", idA, "user", "monitor"))).isEmpty();
    Metrics.Series up = m.find("rds_up", a).get(0);
    assertThat(up.labels()).containsEntry("instance_name", "server-a").containsEntry("engine", "external")
        .containsEntry("aliyun_uid", "").containsEntry("role", "master");
    assertThat(m.find("rds_instance_info", a).get(0).labels()).containsEntry("team", "payments").containsEntry("env", "test");
    String text = app.send("GET", "/metrics", null, null, null).body();
    assertThat(text).contains("# TYPE rds_questions_total counter");
    Promtool.assertAccepts(text, root);

    JsonNode collections = app.get("/v1/collections").json();
    JsonNode external = null;
    for (JsonNode g : collections) {
      if (g.get("group").asText().equals("external")) {
        external = g;
      }
    }
    assertThat(external).isNotNull();
    assertThat(external.get("targetsOk").asInt()).isEqualTo(2);
  }

  @Test
  void customMetricProducesItsSeriesAndForbiddenStatementsAreRejected() throws Exception {
    TestApp.Reply created = app.post("/v1/custom-metrics", Map.of("name", "orders_by_status",
        "sql", "SELECT status, COUNT(*) AS n FROM shop.orders GROUP BY status", "valueColumn", "n",
        "labelColumns", List.of("status"), "selector", Map.of("team", "payments"), "intervalSeconds", 1));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    Metrics m = scrapeUntil(x -> value(x, "rds_custom_orders_by_status", Map.of("instance_id", idA, "status", "new")) == 2,
        Duration.ofSeconds(30));
    assertThat(value(m, "rds_custom_orders_by_status", Map.of("instance_id", idA, "status", "paid"))).isEqualTo(1);
    assertThat(m.find("rds_custom_orders_by_status", Map.of("instance_id", idB))).as("selector team=payments").isEmpty();

    for (String sql : List.of("DELETE FROM shop.orders", "SELECT 1; SELECT 2", "SELECT * INTO OUTFILE '/tmp/x' FROM shop.orders",
        "SELECT * FROM shop.orders INTO OUTFILE '/tmp/y'", "SELECT * FROM shop.orders FOR UPDATE", "UPDATE shop.orders SET status='x'")) {
      TestApp.Reply r = app.post("/v1/custom-metrics", Map.of("name", "bad", "sql", sql, "valueColumn", "n"));
      assertThat(r.status()).as(sql + " → " + r).isEqualTo(422);
      assertThat(r.json().get("message").asText()).startsWith("sql");
    }
    assertThat(app.get("/v1/custom-metrics").json().size()).isEqualTo(1);
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aStoppedTargetGoesDownWhileTheOtherStaysFresh() throws Exception {
    scrapeUntil(x -> value(x, "rds_up", Map.of("instance_id", idB)) == 1, Duration.ofSeconds(30));
    serverB.close();
    Metrics m = scrapeUntil(x -> value(x, "rds_up", Map.of("instance_id", idB)) == 0, Duration.ofSeconds(30));
    assertThat(m.find("rds_sessions_by_user", Map.of("instance_id", idB))).isEmpty();
    assertThat(value(m, "rds_up", Map.of("instance_id", idA))).isEqualTo(1);
    double before = value(m, "rds_questions_total", Map.of("instance_id", idA));
    Metrics later = scrapeUntil(x -> value(x, "rds_questions_total", Map.of("instance_id", idA)) > before, Duration.ofSeconds(20));
    assertThat(value(later, "rds_up", Map.of("instance_id", idA))).isEqualTo(1);
    JsonNode external = null;
    for (JsonNode g : app.get("/v1/collections").json()) {
      if (g.get("group").asText().equals("external")) {
        external = g;
      }
    }
    assertThat(external.get("errors").toString()).contains(idB);
  }

  @Test
  void registrationChecksTheCredentials() {
    TestApp.Reply r = app.post("/v1/instances/register", Map.of("engine", "external", "name", "wrong-pw", "host", "127.0.0.1",
        "port", serverA.server().port(), "user", "monitor", "password", "not-the-password"));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("message").asText()).startsWith("password").doesNotContain("not-the-password");
    assertThat(app.post("/v1/instances/register", Map.of("engine", "external", "name", "no-port", "host", "127.0.0.1",
        "user", "monitor", "password", "x")).json().get("message").asText()).startsWith("port");
  }

}

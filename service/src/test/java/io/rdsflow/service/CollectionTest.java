package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.mysqld.BinaryLocator;
import io.rdsflow.mysqld.PrivateDatabaseServer;
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
  static String idFile;
  static Map<String, String> config;

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
        st.execute("CREATE TABLE shop.big (id INT PRIMARY KEY)");
        st.execute("INSERT INTO shop.big SELECT seq FROM shop.seq_1_to_2000");
        // least privilege for an external target (README): built-ins need PROCESS and REPLICATION CLIENT only,
        // custom SQL SELECT on the application databases only
        st.execute("GRANT PROCESS, REPLICATION CLIENT ON *.* TO monitor@'127.0.0.1'");
        st.execute("GRANT SELECT ON shop.* TO monitor@'127.0.0.1'");
        st.execute("GRANT SELECT ON crm.* TO monitor@'127.0.0.1'");
        st.execute("CREATE USER monitor_file@'127.0.0.1' IDENTIFIED BY '" + MONITOR_PASSWORD + "'");
        st.execute("GRANT PROCESS, FILE ON *.* TO monitor_file@'127.0.0.1'");
        st.execute("GRANT SELECT ON shop.* TO monitor_file@'127.0.0.1'");
        for (String u : List.of("app1", "app2")) {
          st.execute("CREATE USER " + u + "@'127.0.0.1' IDENTIFIED BY 'App-Pass-1'");
          st.execute("GRANT ALL ON shop.* TO " + u + "@'127.0.0.1'");
          st.execute("GRANT ALL ON crm.* TO " + u + "@'127.0.0.1'");
        }
      }
    }
    config = TestApp.config(root.resolve("app"), "collection");
    config.put("collection.jdbcPeriod", "2s");
    config.put("collection.targetTimeout", "1500ms");
    app = TestApp.start(config);
    idA = register("server-a", serverA, Map.of("team", "payments", "env", "test"));
    idB = register("server-b", serverB, Map.of("team", "crm"));
    idFile = register("server-a-file", serverA, "monitor_file", Map.of("team", "filecheck"));
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
    return register(name, s, "monitor", labels);
  }

  static String register(String name, PrivateDatabaseServer s, String user, Map<String, String> labels) {
    TestApp.Reply r = app.post("/v1/instances/register", Map.of("engine", "external", "name", name, "host", "127.0.0.1",
        "port", s.server().port(), "user", user, "password", MONITOR_PASSWORD, "labels", labels));
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
    assertThat(external.get("targetsOk").asInt()).isGreaterThanOrEqualTo(2);
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
    for (JsonNode existing : app.get("/v1/custom-metrics").json()) {
      assertThat(existing.get("name").asText()).isNotEqualTo("bad");
    }
  }

  static JsonNode externalRound() {
    for (JsonNode g : app.get("/v1/collections").json()) {
      if (g.get("group").asText().equals("external")) {
        return g;
      }
    }
    return null;
  }

  static TestApp.Reply createMetric(String name, String sql, List<String> labels, Map<String, ?> selector) {
    return app.post("/v1/custom-metrics", Map.of("name", name, "sql", sql, "valueColumn", "n", "labelColumns", labels,
        "selector", selector, "intervalSeconds", 1));
  }

  /** Issue 9: mysql.user is out of reach of the account custom SQL runs as; the failure is the metric's alone. */
  @Test
  void passwordHashesNeverReachMetricsAndTheFailureIsTheMetricsAlone() throws Exception {
    TestApp.Reply r = createMetric("hashes", "SELECT CONCAT(User,\"@\",Host) AS u, authentication_string AS h, 1 AS n "
        + "FROM mysql.user", List.of("u", "h"), Map.of("team", "payments"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    Metrics m = scrapeUntil(x -> value(x, "rds_custom_errors", Map.of("instance_id", idA, "metric", "hashes")) == 1,
        Duration.ofSeconds(30));
    assertThat(m.find("rds_custom_hashes", Map.of())).isEmpty();
    assertThat(app.send("GET", "/metrics", null, null, null).body()).doesNotContainPattern("\\*[0-9A-F]{40}")
        .doesNotContain("rds_custom_hashes");
    assertThat(value(m, "rds_up", Map.of("instance_id", idA))).isEqualTo(1);
    assertThat(value(m, "rds_questions_total", Map.of("instance_id", idA))).isGreaterThan(0);
    String errors = externalRound().get("errors").toString();
    assertThat(errors).contains(idA + ":master custom_hashes").contains("denied");
    assertThat(app.delete("/v1/custom-metrics/hashes").status()).isEqualTo(204);
  }

  /** Issue 9: an external target registered with a user holding FILE runs no custom SQL; its built-ins go on. */
  @Test
  void customSqlIsRefusedForAnAccountHoldingFile() throws Exception {
    TestApp.Reply r = createMetric("file_orders", "SELECT COUNT(*) AS n FROM shop.orders", List.of(), Map.of("team", "filecheck"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    Metrics m = scrapeUntil(x -> value(x, "rds_custom_errors", Map.of("instance_id", idFile, "metric", "file_orders")) == 1,
        Duration.ofSeconds(30));
    assertThat(m.find("rds_custom_file_orders", Map.of())).isEmpty();
    assertThat(value(m, "rds_up", Map.of("instance_id", idFile))).isEqualTo(1);
    assertThat(value(m, "rds_threads_connected", Map.of("instance_id", idFile))).isGreaterThan(0);
    assertThat(externalRound().get("errors").get(idFile + ":master custom_file_orders").asText())
        .contains("refused").contains("FILE");
    assertThat(app.delete("/v1/custom-metrics/file_orders").status()).isEqualTo(204);
  }

  /** Issue 9: slow metrics and a stored metric that throws (null selector value) fail alone, never the round or rds_up. */
  @Test
  void failingCustomMetricsLeaveTheTargetAndTheRoundAlone() throws Exception {
    for (String name : List.of("slow_one", "slow_two")) {
      TestApp.Reply r = createMetric(name, "SELECT COUNT(*) AS n FROM shop.big a, shop.big b, shop.big c WHERE a.id + b.id > c.id",
          List.of(), Map.of("env", "test"));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
    // a row as an older version stored it: a null selector value made every round throw
    try (Connection c = DriverManager.getConnection(config.get("database.url"), config.get("database.user"),
        config.get("database.password")); Statement st = c.createStatement()) {
      st.execute("INSERT INTO custom_metrics(name, sql_text, value_column, label_columns, selector_json, interval_seconds, "
          + "max_rows) VALUES ('null_team', 'SELECT 1 AS n', 'n', '[]', '{\"team\": null}', 1, 10)");
    }
    try {
      Metrics m = scrapeUntil(x -> value(x, "rds_custom_errors", Map.of("instance_id", idA, "metric", "slow_one")) == 1,
          Duration.ofSeconds(30));
      long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (System.nanoTime() < until) {
        m = Metrics.parse(app.send("GET", "/metrics", null, null, null).body());
        assertThat(value(m, "rds_up", Map.of("instance_id", idA))).isEqualTo(1);
        assertThat(value(m, "rds_up", Map.of("instance_id", idB))).isEqualTo(1);
        assertThat(value(m, "rds_threads_connected", Map.of("instance_id", idA))).isGreaterThan(0);
        Thread.sleep(500);
      }
      JsonNode round = externalRound();
      assertThat(round.get("targetsFailed").asInt()).as(round.toString()).isZero();
      assertThat(round.get("errors").toString()).contains(idA + ":master custom_slow_");
    } finally {
      app.delete("/v1/custom-metrics/slow_one");
      app.delete("/v1/custom-metrics/slow_two");
      app.delete("/v1/custom-metrics/null_team");
    }
  }

  /** Issue 9: the gate's bypasses and oversized or null fields are 422 naming the field, never 500 or stored. */
  @Test
  void bypassesAndOversizedFieldsAre422() {
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("SELECT /* ' */ LOAD_FILE('/etc/hostname') AS f, 1 AS n -- '", "sql");
    bad.put("SELECT `LOAD_FILE`('/etc/hostname') AS f, 1 AS n", "sql");
    bad.put("SELECT 1 AS n /* ' */ /*!50000 INTO OUTFILE '/tmp/x' */ -- '", "sql");
    bad.put("SELECT '" + "x".repeat(9_900) + "' AS l, 1 AS n", "sql");
    bad.put("SELECT " + "(".repeat(3_000) + "1" + ")".repeat(3_000) + " AS n", "sql");
    bad.put("SELECT " + "(".repeat(100) + "1" + ")".repeat(100) + " AS n", "sql");
    bad.put("SELECT SLEEP(10) AS n", "sql");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      TestApp.Reply r = app.post("/v1/custom-metrics", Map.of("name", "bad", "sql", e.getKey(), "valueColumn", "n"));
      assertThat(r.status()).as(e.getKey().substring(0, Math.min(80, e.getKey().length())) + " → " + r).isEqualTo(422);
      assertThat(r.json().get("message").asText()).startsWith(e.getValue());
    }
    Map<String, String> nullTeam = new java.util.HashMap<>();
    nullTeam.put("team", null);
    Map<String, String> manyEntries = new java.util.HashMap<>();
    for (int i = 0; i < 21; i++) {
      manyEntries.put("k" + i, "v");
    }
    List<String> manyColumns = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      manyColumns.add("c" + i);
    }
    Map<String, Object[]> fields = new java.util.LinkedHashMap<>();
    fields.put("selector.team", new Object[] {List.of(), nullTeam});
    fields.put("selector.team ", new Object[] {List.of(), Map.of("team", "x".repeat(70_000))});
    fields.put("selector", new Object[] {List.of(), manyEntries});
    fields.put("selector.k", new Object[] {List.of(), Map.of("k".repeat(200), "v")});
    fields.put("labelColumns", new Object[] {manyColumns, Map.of()});
    fields.put("labelColumns[0]", new Object[] {List.of("c".repeat(70_000)), Map.of()});
    fields.put("labelColumns[0] ", new Object[] {List.of("instance_id"), Map.of()});
    for (Map.Entry<String, Object[]> e : fields.entrySet()) {
      Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "bad", "sql", "SELECT 1 AS n", "valueColumn", "n"));
      body.put("labelColumns", e.getValue()[0]);
      body.put("selector", e.getValue()[1]);
      TestApp.Reply r = app.post("/v1/custom-metrics", body);
      assertThat(r.status()).as(e.getKey() + " → " + r.body().substring(0, Math.min(200, r.body().length()))).isEqualTo(422);
      assertThat(r.json().get("message").asText()).startsWith(e.getKey().trim());
    }
    for (JsonNode existing : app.get("/v1/custom-metrics").json()) {
      assertThat(existing.get("name").asText()).isNotEqualTo("bad");
    }
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

  /**
   * Issue 13: the series users expect, under rds_ and mysqld_exporter's names, and how many there are per instance
   * (the lead's number: printed, and bounded so that a change to it is seen).
   */
  @Test
  void theServersStatusVariablesAndVersionAndTheMysqldExporterNames() throws Exception {
    Map<String, String> a = Map.of("instance_id", idA);
    Metrics m = scrapeUntil(x -> value(x, "rds_max_connections", a) > 0
        && value(x, "rds_processlist_threads", Map.of("instance_id", idA, "command", "query", "state", "user_sleep")) == 2,
        Duration.ofSeconds(30));
    assertThat(value(m, "rds_uptime_seconds", a)).isGreaterThan(0);
    assertThat(value(m, "rds_global_variable", Map.of("instance_id", idA, "variable", "max_connections")))
        .isEqualTo(value(m, "rds_max_connections", a));
    assertThat(m.find("rds_version_info", a)).hasSize(1);
    assertThat(value(m, "rds_commands_total", Map.of("instance_id", idA, "command", "select"))).isGreaterThan(0);
    assertThat(m.find("rds_connection_errors_total", a)).isNotEmpty();
    assertThat(value(m, "rds_innodb_buffer_pool_pages", Map.of("instance_id", idA, "state", "total"))).isGreaterThan(0);
    assertThat(value(m, "rds_innodb_history_list_length", a)).isGreaterThanOrEqualTo(0);
    assertThat(value(m, "rds_processlist_threads", Map.of("instance_id", idA, "command", "sleep"))).isGreaterThanOrEqualTo(3);
    assertThat(value(m, "rds_scrape_errors_total", Map.of("instance_id", idA, "collector", "global_status"))).isZero();
    // the exporter's names, on by default: the mixin's alerts find their series
    assertThat(value(m, "mysql_up", a)).isEqualTo(1);
    assertThat(value(m, "mysql_global_variables_max_connections", a)).isEqualTo(value(m, "rds_max_connections", a));
    assertThat(m.find("mysql_global_status_threads_connected", a)).hasSize(1);
    assertThat(m.find("mysql_info_schema_processlist_threads", a)).isNotEmpty();

    String text = app.send("GET", "/metrics", null, null, null).body();
    Promtool.assertAccepts(text, root);
    java.util.Set<String> before = java.util.Set.of("rds_up", "rds_sessions", "rds_sessions_by_user", "rds_sessions_by_client",
        "rds_sessions_by_db", "rds_session_max_active_seconds", "rds_threads_connected", "rds_threads_running",
        "rds_questions_total", "rds_slow_queries_total", "rds_replication_lag_seconds", "rds_replication_running",
        "rds_instance_info");
    List<Metrics.Series> mine = Metrics.parse(text).series().stream()
        .filter(x -> idA.equals(x.labels().get("instance_id"))).toList();
    long old = mine.stream().filter(x -> before.contains(x.name())).count();
    long rds = mine.stream().filter(x -> x.name().startsWith("rds_") && !x.name().startsWith("rds_custom")).count();
    long mysql = mine.stream().filter(x -> x.name().startsWith("mysql_")).count();
    System.out.printf("series per instance (server-a): before %d, now rds_* %d + mysql_* %d = %d%n", old, rds, mysql, rds + mysql);
    assertThat(rds).isBetween(old + 40, 150L);
    assertThat(mysql).isBetween(30L, rds);
  }

  /**
   * Issue 13: an account that may not read something says so: rds_scrape_errors_total{collector} counts up and the
   * round's errors name the target and the collector; what it may read is still published.
   */
  @Test
  void aCollectorTheAccountMayNotRunIsCountedAndReported() throws Exception {
    try (Connection c = DriverManager.getConnection(serverA.jdbcUrl(""), serverA.user(), serverA.password());
        Statement st = c.createStatement()) {
      st.execute("CREATE USER IF NOT EXISTS restricted@'127.0.0.1' IDENTIFIED BY '" + MONITOR_PASSWORD + "'");
      st.execute("GRANT SELECT ON shop.* TO restricted@'127.0.0.1'"); // no PROCESS, no SLAVE MONITOR
    }
    String id = register("server-a-restricted", serverA, "restricted", Map.of("team", "restricted"));
    Map<String, String> slave = Map.of("instance_id", id, "collector", "slave_status");
    Metrics m = scrapeUntil(x -> value(x, "rds_scrape_errors_total", slave) >= 2, Duration.ofSeconds(30));
    assertThat(value(m, "rds_scrape_errors_total", Map.of("instance_id", id, "collector", "innodb"))).isGreaterThanOrEqualTo(1);
    assertThat(value(m, "rds_scrape_errors_total", Map.of("instance_id", id, "collector", "processlist"))).isGreaterThanOrEqualTo(1);
    assertThat(value(m, "rds_scrape_errors_total", Map.of("instance_id", id, "collector", "global_status"))).isZero();
    assertThat(value(m, "rds_up", Map.of("instance_id", id))).isEqualTo(1);
    assertThat(value(m, "rds_threads_connected", Map.of("instance_id", id))).isGreaterThan(0);
    assertThat(m.find("rds_innodb_history_list_length", Map.of("instance_id", id))).isEmpty();
    JsonNode errors = externalRound().get("errors");
    assertThat(errors.get(id + ":master slave_status").asText()).containsIgnoringCase("denied");
    assertThat(errors.get(id + ":master innodb").asText()).contains("PROCESS");
    assertThat(errors.get(id + ":master processlist").asText()).contains("PROCESS");
    assertThat(externalRound().get("targetsFailed").asInt()).isZero();
  }

  /** Seed 001: a datasource's built-in collectors switched on registration and by PATCH, read by the next round. */
  @Test
  void collectorSwitchesOnRegistrationAndByPatch() throws Exception {
    TestApp.Reply r = app.post("/v1/instances/register", Map.of("engine", "external", "name", "server-b-switched",
        "host", "127.0.0.1", "port", serverB.server().port(), "user", "monitor", "password", MONITOR_PASSWORD,
        "collectors", Map.of("innodb", false)));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    String id = r.json().get("instanceId").asText();
    Map<String, String> it = Map.of("instance_id", id);
    Metrics m = scrapeUntil(x -> value(x, "rds_sessions", Map.of("instance_id", id, "state", "total")) >= 1
        && !x.find("rds_processlist_threads", it).isEmpty(), Duration.ofSeconds(30));
    assertThat(m.find("rds_innodb_history_list_length", it)).isEmpty();
    assertThat(m.find("rds_scrape_errors_total", Map.of("instance_id", id, "collector", "innodb"))).isEmpty();

    TestApp.Reply patched = app.send("PATCH", "/v1/instances/" + id, Map.of("collectors", Map.of("processlist", false)),
        TestApp.ADMIN_PASSWORD, "admin");
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().get("collectors").toString()).as("the instance view shows the switches, merged")
        .isEqualTo("{\"processlist\":false,\"global_status\":true,\"global_variables\":true,\"slave_status\":true,"
            + "\"innodb\":false}");
    Metrics off = scrapeUntil(x -> x.find("rds_sessions", it).isEmpty() && x.find("rds_processlist_threads", it).isEmpty()
        && value(x, "rds_up", it) == 1, Duration.ofSeconds(30));
    assertThat(off.find("rds_sessions_by_user", it)).isEmpty();
    assertThat(off.find("mysql_info_schema_processlist_threads", it)).isEmpty();
    assertThat(off.find("rds_innodb_history_list_length", it)).as("innodb stays off: the patch merges").isEmpty();
    assertThat(value(off, "rds_threads_connected", it)).isGreaterThan(0);

    TestApp.Reply unknown = app.send("PATCH", "/v1/instances/" + id, Map.of("collectors", Map.of("sessions", false)),
        TestApp.ADMIN_PASSWORD, "admin");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("message").asText()).startsWith("collectors").contains("processlist");
    TestApp.Reply failover = app.send("PATCH", "/v1/instances/" + id, Map.of("autoFailover", true), TestApp.ADMIN_PASSWORD,
        "admin");
    assertThat(failover.status()).isEqualTo(422);

    // creation takes the same field, checked before anything is created
    TestApp.Reply create = app.post("/v1/instances", Map.of("name", "switched-create", "engine", "local", "topology", "single",
        "collectors", Map.of("processlist", "maybe")));
    assertThat(create.status()).as(create.toString()).isIn(400, 422);
    TestApp.Reply createUnknown = app.post("/v1/instances", Map.of("name", "switched-create", "engine", "local",
        "topology", "single", "collectors", Map.of("sessions", false)));
    assertThat(createUnknown.status()).as(createUnknown.toString()).isEqualTo(422);
    assertThat(createUnknown.json().get("message").asText()).startsWith("collectors");

    TestApp.Reply on = app.send("PATCH", "/v1/instances/" + id, Map.of("collectors", Map.of("processlist", true)),
        TestApp.ADMIN_PASSWORD, "admin");
    assertThat(on.status()).isEqualTo(200);
    assertThat(app.get("/v1/instances/" + id).json().get("collectors").toString())
        .isEqualTo("{\"processlist\":true,\"global_status\":true,\"global_variables\":true,\"slave_status\":true,"
            + "\"innodb\":false}");
    scrapeUntil(x -> !x.find("rds_processlist_threads", it).isEmpty(), Duration.ofSeconds(30));
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

package io.rdsflow.service;

import static io.rdsflow.service.LocalEngineTest.PASSWORD;
import static io.rdsflow.service.LocalEngineTest.connect;
import static io.rdsflow.service.LocalEngineTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clones through REST (issue 12) of one real master-slave pair with its binlog archive on: a clone at an instant T
 * between writes has the rows written before T and none after, and is a working pair whose accounts kept their
 * passwords; a clone of a backup taken under write load holds exactly a consistent prefix of the writes (every
 * transaction whole); a clone request with a bad source is a 422 naming the field and creates nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PointInTimeTest {
  @TempDir static Path root;
  static TestApp app;
  static String source;

  @BeforeAll
  static void createPair() throws Exception {
    Map<String, String> config = OperationsApi.oneHostConfig(root, "pitr");
    config.put("localEngine.portRange", PortBlock.free(24).range()); // the source and two clones, with their proxies
    config.put("binlogArchive.enabled", "true");
    config.put("binlogArchive.interval", "1s");
    config.put("binlogArchive.flushAfter", "2s");
    app = TestApp.start(config);
    source = OperationsApi.createPairWithOrders(app, "pitr-source");
  }

  @AfterAll
  static void stop() {
    OperationsApi.deleteAndClose(app, source, root);
  }

  @Test
  @Order(1)
  void aCloneAtAnInstantHasTheRowsWrittenBeforeItAndNoneAfterAndIsAWorkingPair() throws Exception {
    write("INSERT INTO shop.orders(item) VALUES ('A1'), ('A2')");
    String backupId = backup();
    write("INSERT INTO shop.orders(item) VALUES ('B1')");
    write("INSERT INTO shop.orders(item) VALUES ('B2')");
    Thread.sleep(1100);
    Instant t = Instant.ofEpochSecond(Instant.now().getEpochSecond()); // every B event is in an earlier second
    Thread.sleep(1100);
    Instant c = write("INSERT INTO shop.orders(item) VALUES ('C1')");
    awaitArchived(c);

    String clone = cloneOf(Map.of("instanceId", source, "pointInTime", t.toString()), "pitr-at-t");
    try {
      Map<String, Integer> ports = OperationsApi.endpoints(app, clone);
      try (Connection m = connect(ports.get("master"), "shop_app", PASSWORD); Statement s = m.createStatement()) {
        assertThat(scalar(m, "SELECT GROUP_CONCAT(item ORDER BY id) FROM shop.orders")).as("A and B, no C")
            .isEqualTo("A1,A2,B1,B2");
        s.execute("INSERT INTO shop.orders(item) VALUES ('on the clone')");
      }
      try (Connection sl = connect(ports.get("slave"), "shop_app", PASSWORD)) {
        awaitRow(sl, "on the clone");
        assertThat(scalar(sl, "SELECT GROUP_CONCAT(item ORDER BY id) FROM shop.orders")).isEqualTo("A1,A2,B1,B2,on the clone");
      }
      try (Connection w = connect(ports.get("writer"), "shop_app", PASSWORD)) {
        assertThat(scalar(w, "SELECT COUNT(*) FROM shop.orders")).isEqualTo("5");
      }
      Map<String, String> steps = stepStatuses(clone);
      assertThat(steps).containsEntry("do_init_mysql_db_master", "SKIPPED").containsEntry("rdsflow_restore_backup_master", "SUCCEEDED")
          .containsEntry("rdsflow_restore_backup_slave", "SUCCEEDED").containsEntry("rdsflow_roll_forward_master", "SUCCEEDED")
          .containsEntry("rdsflow_roll_forward_slave", "SUCCEEDED");
      assertThat(app.get("/v1/instances/" + clone + "/steps").body()).contains(backupId);
      try (Connection src = connect(OperationsApi.endpoints(app, source).get("master"), "shop_app", PASSWORD)) {
        assertThat(scalar(src, "SELECT GROUP_CONCAT(item ORDER BY id) FROM shop.orders")).as("the source is untouched")
            .isEqualTo("A1,A2,B1,B2,C1");
      }
    } finally {
      remove(clone);
    }
  }

  @Test
  @Order(2)
  void aCloneOfABackupTakenUnderWriteLoadHoldsWholeTransactionsOnly() throws Exception {
    try (Connection c = connect(OperationsApi.endpoints(app, source).get("master"), "shop_app", PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shop.pairs (id INT PRIMARY KEY, twin INT NOT NULL)");
    }
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    Thread writer = new Thread(() -> {
      try (Connection c = connect(OperationsApi.endpoints(app, source).get("writer"), "shop_app", PASSWORD);
          Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        for (int i = 1; running.get(); i++) {
          s.execute("INSERT INTO shop.pairs VALUES (" + i + ", " + (i + 1_000_000) + "), (" + (i + 1_000_000) + ", " + i + ")");
          c.commit();
          written.set(i);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "pairs-writer");
    writer.start();
    String backupId;
    try {
      Thread.sleep(500);
      backupId = backup();
      Thread.sleep(300);
    } finally {
      running.set(false);
      writer.join();
    }
    int atBackupEnd = written.get();
    String clone = cloneOf(Map.of("instanceId", source, "backupId", backupId), "pitr-backup");
    try (Connection m = connect(OperationsApi.endpoints(app, clone).get("master"), "shop_app", PASSWORD)) {
      int n = Integer.parseInt(scalar(m, "SELECT COUNT(*) FROM shop.pairs WHERE id < 1000000"));
      System.out.printf("clone of %s: %d of %d transactions written under load (backup ran while they were written)%n",
          backupId, n, atBackupEnd);
      assertThat(n).as("the backup ran while rows were written").isPositive().isLessThan(atBackupEnd);
      assertThat(scalar(m, "SELECT COUNT(*) FROM shop.pairs")).as("every transaction whole").isEqualTo(Integer.toString(2 * n));
      assertThat(scalar(m, "SELECT MAX(id) FROM shop.pairs WHERE id < 1000000")).as("a prefix of the writes, no gap")
          .isEqualTo(Integer.toString(n));
      assertThat(scalar(m, "SELECT COUNT(*) FROM shop.pairs a JOIN shop.pairs b ON b.id = a.twin AND b.twin = a.id"))
          .isEqualTo(Integer.toString(2 * n));
    } finally {
      remove(clone);
    }
  }

  @Test
  @Order(3)
  void aCloneRequestWithABadSourceIsA422NamingTheFieldAndCreatesNothing() {
    Instant future = Instant.now().plus(Duration.ofDays(1));
    assertRefused(Map.of("instanceId", source, "pointInTime", future.toString()), "source.pointInTime", "recovery window");
    assertRefused(Map.of("instanceId", source, "pointInTime", "yesterday at ten"), "source.pointInTime", "ISO-8601");
    assertRefused(Map.of("instanceId", source, "backupId", "bk-nope"), "source.backupId", "no backup bk-nope");
    assertRefused(Map.of("instanceId", "rl-000000000000", "backupId", "bk-nope"), "source.instanceId", "no instance");
    assertRefused(Map.of("instanceId", source), "source", "either backupId or pointInTime");
    Map<String, Object> withAccounts = cloneRequest(Map.of("instanceId", source, "backupId", "bk-nope"), "pitr-refused");
    withAccounts.put("accounts", List.of(Map.of("name", "other", "password", PASSWORD)));
    TestApp.Reply r = app.post("/v1/instances", withAccounts);
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.body()).contains("\"message\":\"accounts:");
    assertThat(app.get("/v1/instances").body()).doesNotContain("pitr-refused");
  }

  private static void assertRefused(Map<String, Object> sourceSpec, String field, String says) {
    TestApp.Reply r = app.post("/v1/instances", cloneRequest(sourceSpec, "pitr-refused"));
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.body()).contains("\"message\":\"" + field + ":").contains(says);
    assertThat(app.get("/v1/instances").body()).as("nothing created").doesNotContain("pitr-refused");
  }

  private static Map<String, Object> cloneRequest(Map<String, Object> sourceSpec, String name) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("engine", "local");
    body.put("topology", "master-slave");
    body.put("source", sourceSpec);
    return body;
  }

  /** Creates a clone and waits until it is RUNNING; returns its id. */
  private static String cloneOf(Map<String, Object> sourceSpec, String name) throws InterruptedException {
    long start = System.nanoTime();
    TestApp.Reply r = app.post("/v1/instances", cloneRequest(sourceSpec, name));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    String id = r.json().get("instanceId").asText();
    LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
    System.out.printf("clone %s of %s (%s) RUNNING %d ms after the request%n", id, source, sourceSpec,
        (System.nanoTime() - start) / 1_000_000);
    return id;
  }

  private static void remove(String id) throws InterruptedException {
    app.delete("/v1/instances/" + id);
    LocalEngineTest.waitForStatus(app, id, "DELETED", Duration.ofMinutes(2));
  }

  private static String backup() {
    TestApp.Reply r = app.post("/v1/instances/" + source + "/operations", Map.of("type", "backup"));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    JsonNode done = OperationsApi.waitFor(app, r.json().get("operationId").asText(), Duration.ofMinutes(3));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    return app.get("/v1/instances/" + source + "/backups").json().get(0).get("backupId").asText();
  }

  private static Map<String, String> stepStatuses(String id) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode s : app.get("/v1/instances/" + id + "/steps").json().get("steps")) {
      out.merge(s.get("name").asText(), s.get("status").asText(), (a, b) -> a.equals(b) ? a : a + "," + b);
    }
    return out;
  }

  /** Runs statements on the source's master; returns the second they started in, after every event written before. */
  private static Instant write(String sql) throws Exception {
    Thread.sleep(1100);
    Instant before = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    try (Connection c = connect(OperationsApi.endpoints(app, source).get("master"), "shop_app", PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
    return before;
  }

  private static void awaitArchived(Instant t) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode w = app.get("/v1/instances/" + source + "/recovery-window").json();
      if (!w.get("latest").isNull() && !Instant.parse(w.get("latest").asText()).isBefore(t)) {
        return;
      }
      assertThat(System.nanoTime()).as("archived up to " + t + ": " + w).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static void awaitRow(Connection c, String item) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (scalar(c, "SELECT COUNT(*) FROM shop.orders WHERE item = '" + item + "'").equals("0")) {
      assertThat(System.nanoTime()).as(item + " replicated to the clone's slave").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}

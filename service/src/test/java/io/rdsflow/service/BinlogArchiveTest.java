package io.rdsflow.service;

import static io.rdsflow.service.LocalEngineTest.PASSWORD;
import static io.rdsflow.service.LocalEngineTest.connect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.activities.local.BinlogReplay;
import io.rdsflow.activities.meta.BinlogArchiveDao;
import io.rdsflow.mysqld.BinaryLocator;
import io.rdsflow.mysqld.PrivateDatabaseServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binlog archive through REST on one real master-slave pair: writes reach the archive without anyone
 * flushing (the archive rotates a binlog whose first transaction is {@code flushAfter} old), a {@code FLUSH BINARY
 * LOGS} is archived within a round, every archived file equals its sha256 and is 0600, the recovery window ends at
 * the newest archived event, after a switchover the archive follows the new master, and the archived binlogs replayed
 * after a GTID up to an instant (the point-in-time replay) give exactly the rows written before that instant; with a full
 * backup the window starts at the oldest one's finish.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BinlogArchiveTest {
  @TempDir static Path root;
  static TestApp app;
  static String id;

  @BeforeAll
  static void createPair() throws Exception {
    Map<String, String> config = OperationsApi.oneHostConfig(root, "archive");
    config.put("binlogArchive.enabled", "true");
    config.put("binlogArchive.interval", "1s");
    config.put("binlogArchive.flushAfter", "3s");
    app = TestApp.start(config);
    id = app.post("/v1/instances", LocalEngineTest.request("archive", "master-slave", null)).json().get("instanceId").asText();
    assertThat(app.send("PATCH", "/v1/instances/" + id, Map.of("autoFailover", false), TestApp.ADMIN_PASSWORD, "admin").status())
        .isEqualTo(200);
    LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
  }

  @AfterAll
  static void stop() {
    OperationsApi.deleteAndClose(app, id, root);
  }

  @Test
  @Order(1)
  void writesAreArchivedWithinTheFlushIntervalAndTheWindowEndsAtTheNewestEvent() throws Exception {
    Instant written = write("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(64))",
        "INSERT INTO shop.orders VALUES (1, 'a'), (2, 'b')");
    long lag = awaitArchivedAfter(written, Duration.ofSeconds(30));
    System.out.printf("binlog archive: writes archived %d ms after they were committed (interval 1 s, flushAfter 3 s)%n", lag);

    JsonNode window = app.get("/v1/instances/" + id + "/recovery-window").json();
    Instant earliest = Instant.parse(window.get("earliest").asText());
    Instant latest = Instant.parse(window.get("latest").asText());
    assertThat(earliest).isBefore(written);
    assertThat(latest).isAfterOrEqualTo(written.minusSeconds(1));
    assertThat(app.get("/v1/instances/rl-000000000000/recovery-window").status()).isEqualTo(404);

    List<BinlogArchiveDao.Archived> archived = new BinlogArchiveDao(app.application().parts().db().jdbi()).list(id);
    assertThat(archived).isNotEmpty().allMatch(a -> a.node().equals("master"));
    for (BinlogArchiveDao.Archived a : archived) {
      Path file = Path.of(a.path());
      assertThat(file).startsWith(root.resolve("server").resolve("backups").resolve(id).resolve("binlog").resolve("master"));
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))))
          .as(file.toString()).isEqualTo(a.sha256());
      assertThat(Files.size(file)).isEqualTo(a.bytes());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(a.lastEventAt()).isGreaterThanOrEqualTo(a.firstEventAt());
    }
  }

  @Test
  @Order(2)
  void aFlushIsArchivedWithinARound() throws Exception {
    Instant written = write("INSERT INTO shop.orders VALUES (3, 'c')");
    try (Connection c = OperationsApi.admin(app, id, ports().get("master")); Statement s = c.createStatement()) {
      s.execute("FLUSH BINARY LOGS");
    }
    long lag = awaitArchivedAfter(written, Duration.ofSeconds(10));
    assertThat(lag).isLessThan(5000);
    List<BinlogArchiveDao.Archived> archived = new BinlogArchiveDao(app.application().parts().db().jdbi()).list(id);
    assertThat(archived.size()).isGreaterThanOrEqualTo(2);
    assertThat(archived.get(archived.size() - 1).gtidStart()).as("the Gtid_list of a binlog after the first")
        .matches("\\d+-\\d+-\\d+(,\\d+-\\d+-\\d+)*");
  }

  @Test
  @Order(3)
  void afterASwitchoverTheArchiveFollowsTheNewMaster() throws Exception {
    TestApp.Reply switchover = app.post("/v1/instances/" + id + "/operations", Map.of("type", "switchover"));
    assertThat(switchover.status()).as(switchover.toString()).isEqualTo(202);
    JsonNode done = OperationsApi.waitFor(app, switchover.json().get("operationId").asText(), Duration.ofMinutes(2));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    Instant written = write("INSERT INTO shop.orders VALUES (4, 'after the switchover')");
    BinlogArchiveDao dao = new BinlogArchiveDao(app.application().parts().db().jdbi());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (dao.list(id).stream().noneMatch(a -> a.node().equals("slave") && a.lastEventAt() >= written.getEpochSecond())) {
      assertThat(System.nanoTime()).as("a binlog of the new master (node slave) archived: " + dao.list(id)).isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(Instant.parse(app.get("/v1/instances/" + id + "/recovery-window").json().get("latest").asText()))
        .isAfterOrEqualTo(written);
  }

  @Test
  @Order(4)
  void theArchivedBinlogsReplayedAfterAGtidUpToAnInstantGiveTheRowsBeforeItAndNoneAfter() throws Exception {
    String gtid;
    try (Connection c = OperationsApi.admin(app, id, ports().get("master"))) {
      gtid = LocalEngineTest.scalar(c, "SELECT @@gtid_binlog_pos");
    }
    write("INSERT INTO shop.orders VALUES (10, 'B'), (11, 'B')");
    Thread.sleep(1500);
    Instant t = Instant.ofEpochSecond(Instant.now().getEpochSecond()); // after every B event's second
    Thread.sleep(1500);
    Instant c = write("INSERT INTO shop.orders VALUES (20, 'C')"); // in a second after t
    BinlogArchiveDao dao = new BinlogArchiveDao(app.application().parts().db().jdbi());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (dao.list(id).stream().noneMatch(a -> a.node().equals("slave") && a.lastEventAt() >= c.getEpochSecond())) {
      assertThat(System.nanoTime()).as("C archived").isLessThan(deadline);
      Thread.sleep(200);
    }
    // the target stands for a backup at the GTID noted first: the rows written until then
    try (PrivateDatabaseServer target = PrivateDatabaseServer.start(
        new BinaryLocator(null, root.resolve("dist")).locate(), root.resolve("replay-target"), 0)) {
      try (Connection tc = java.sql.DriverManager.getConnection(target.jdbcUrl(""), target.user(), target.password());
           Statement s = tc.createStatement()) {
        s.execute("CREATE DATABASE shop");
        s.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(64))");
        s.execute("INSERT INTO shop.orders VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'after the switchover')");
      }
      List<Path> files = dao.list(id).stream().filter(a -> a.node().equals("slave")).map(a -> Path.of(a.path())).toList();
      Duration took = BinlogReplay.replay(target.server(), target.password(), files, gtid, t, root.resolve("replay.log"),
          Duration.ofMinutes(2), () -> { });
      System.out.printf("binlog replay: %d archived files after %s up to %s applied in %d ms%n", files.size(), gtid, t,
          took.toMillis());
      try (Connection tc = java.sql.DriverManager.getConnection(target.jdbcUrl(""), target.user(), target.password())) {
        assertThat(LocalEngineTest.scalar(tc, "SELECT GROUP_CONCAT(id ORDER BY id) FROM shop.orders"))
            .as("A and B, no C").isEqualTo("1,2,3,4,10,11");
      }
      assertThat(Files.readString(root.resolve("replay.log"))).doesNotContain(target.password());
    }
  }

  @Test
  @Order(5)
  void theWindowStartsAtTheOldestFullBackup() throws Exception {
    TestApp.Reply backup = app.post("/v1/instances/" + id + "/operations", Map.of("type", "backup"));
    assertThat(backup.status()).as(backup.toString()).isEqualTo(202);
    JsonNode done = OperationsApi.waitFor(app, backup.json().get("operationId").asText(), Duration.ofMinutes(3));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    Instant oldest = null;
    for (JsonNode b : app.get("/v1/instances/" + id + "/backups").json()) {
      if (b.get("kind").asText().equals("full") && b.get("status").asText().equals("SUCCEEDED")) {
        Instant finished = Instant.parse(b.get("finishedAt").asText());
        oldest = oldest == null || finished.isBefore(oldest) ? finished : oldest;
      }
    }
    assertThat(oldest).isNotNull();
    JsonNode window = app.get("/v1/instances/" + id + "/recovery-window").json();
    assertThat(Instant.parse(window.get("earliest").asText())).isEqualTo(oldest);
    assertThat(Instant.parse(window.get("latest").asText())).isAfterOrEqualTo(oldest);
  }

  /** Runs statements on the serving master as the application account; returns the second they started in, after
   * every event written before. */
  private static Instant write(String... sql) throws Exception {
    Thread.sleep(1100); // binlog events carry whole seconds: every earlier event is in an earlier second
    Instant before = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    try (Connection c = connect(ports().get("master"), "shop_app", PASSWORD); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
    return before;
  }

  /** Waits until the recovery window's latest reaches {@code t}; returns the milliseconds that took. */
  private static long awaitArchivedAfter(Instant t, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      JsonNode w = app.get("/v1/instances/" + id + "/recovery-window").json();
      last = w.toString();
      if (!w.get("latest").isNull() && !Instant.parse(w.get("latest").asText()).isBefore(t)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("nothing archived at or after " + t + " within " + timeout + ": " + last);
  }

  private static Map<String, Integer> ports() {
    return OperationsApi.endpoints(app, id);
  }
}

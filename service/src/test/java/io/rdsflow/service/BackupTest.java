package io.rdsflow.service;

import static io.rdsflow.service.LocalEngineTest.PASSWORD;
import static io.rdsflow.service.LocalEngineTest.connect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.activities.local.PhysicalCopy;
import io.rdsflow.mysqld.BinaryLocator;
import io.rdsflow.mysqld.ServerBinaries;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups through REST on one real master-slave pair: the creation's first backup is listed; a {@code backup} operation
 * takes a physical copy of the slave into {@code backup.dir}, recorded with size, SHA-256 and the master's GTID position;
 * the file restores (extracted, prepared, started as a throwaway server that has the rows); the list stays after the
 * instance is deleted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupTest {
  @TempDir static Path root;
  static TestApp app;
  static String id;
  static java.time.ZonedDateTime scheduledAt;

  @BeforeAll
  static void createPair() throws Exception {
    Map<String, String> config = OperationsApi.oneHostConfig(root, "backup");
    config.put("backup.schedule", "true");
    config.put("backup.dir", root.resolve("backups").toString());
    app = TestApp.start(config);
    Map<String, Object> request = LocalEngineTest.request("bk", "master-slave", null);
    // the schedule's first backup is due a little after the first tests (the minute after next, UTC)
    scheduledAt = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(2).withSecond(0).withNano(0);
    request.put("backup", Map.of("retentionDays", 7, "preferredTime",
        scheduledAt.format(java.time.format.DateTimeFormatter.ofPattern("HH:mm"))));
    id = app.post("/v1/instances", request).json().get("instanceId").asText();
    LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
    try (Connection c = connect(OperationsApi.endpoints(app, id).get("master"), "shop_app", PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(64))");
      for (int i = 1; i <= 100; i++) {
        s.execute("INSERT INTO shop.orders VALUES (" + i + ", 'row " + i + "')");
      }
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (app != null) {
        app.close();
      }
    } finally {
      TestProcesses.stopAllUnder(root);
    }
  }

  @Test
  @Order(1)
  void aBackupOfTheSlaveIsRecordedWithSizeChecksumAndTheMastersGtidAndRestores() throws Exception {
    Map<String, Integer> ports = OperationsApi.endpoints(app, id);
    String masterGtid;
    try (Connection master = OperationsApi.admin(app, id, ports.get("master"));
        Connection slave = OperationsApi.admin(app, id, ports.get("slave"))) {
      masterGtid = scalar(master, "SELECT @@gtid_binlog_pos");
      assertThat(scalar(slave, "SELECT MASTER_GTID_WAIT('" + masterGtid + "', 30)")).isEqualTo("0");
    }
    long start = System.nanoTime();
    TestApp.Reply accepted = app.post("/v1/instances/" + id + "/operations", Map.of("type", "backup"));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    JsonNode done = OperationsApi.waitFor(app, accepted.json().get("operationId").asText(), Duration.ofMinutes(5));
    System.out.println("backup operation: " + done.get("status").asText() + " in " + (System.nanoTime() - start) / 1_000_000
        + " ms: " + done.get("steps").get(0).get("message").asText());
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("steps").get(0).get("name").asText()).isEqualTo("rdsflow_take_full_backup");
    assertThat(done.get("steps").get(0).get("node").asText()).isEqualTo("slave");

    JsonNode list = app.get("/v1/instances/" + id + "/backups").json();
    assertThat(list.size()).as(list.toString()).isEqualTo(2);
    JsonNode b = list.get(0);
    assertThat(b.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(b.get("kind").asText()).isEqualTo("full");
    assertThat(b.get("node").asText()).as("taken from the slave").isEqualTo("slave");
    assertThat(b.get("method").asText()).isEqualTo("mariadb-backup");
    assertThat(b.get("sizeBytes").asLong()).isPositive();
    assertThat(b.get("gtid").asText()).isNotEmpty().isEqualTo(masterGtid);
    assertThat(done.get("steps").get(0).get("message").asText()).contains(b.get("backupId").asText());
    Path file = root.resolve("backups").resolve(id).resolve("full").resolve(b.get("backupId").asText() + ".xb.zst");
    assertThat(file).exists();
    assertThat(Files.size(file)).isEqualTo(b.get("sizeBytes").asLong());
    assertThat(b.get("checksum").asText()).isEqualTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    assertThat(b.get("finishedAt").asText()).isGreaterThanOrEqualTo(b.get("startedAt").asText());

    JsonNode first = list.get(1);
    assertThat(first.get("status").asText()).as("the creation's first backup").isEqualTo("SUCCEEDED");
    assertThat(first.get("node").asText()).isEqualTo("master");
    assertThat(first.get("sizeBytes").asLong()).isPositive();
    assertThat(root.resolve("backups").resolve(id).resolve("full").resolve(first.get("backupId").asText() + ".xb.zst")).exists();

    for (String secret : OperationsApi.secrets(app, id)) {
      assertThat(done.toString()).doesNotContain(secret);
      assertThat(list.toString()).doesNotContain(secret);
      assertThat(app.get("/v1/instances/" + id + "/steps").body()).doesNotContain(secret);
      for (String node : List.of("master", "slave")) {
        Path log = root.resolve("h0").resolve(id).resolve(node).resolve("log/backup.log");
        if (Files.exists(log)) {
          assertThat(Files.readString(log)).doesNotContain(secret);
        }
      }
    }
    restoresWithTheRows(file, masterGtid);
  }

  @Test
  @Order(2)
  void theScheduleBacksUpAtThePreferredTimeAndRetentionKeepsTheNewest() throws Exception {
    Jdbi jdbi = app.application().parts().db().jdbi();
    JsonNode auto = null;
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (auto == null && System.nanoTime() < deadline) {
      for (JsonNode op : app.get("/v1/instances/" + id + "/operations").json()) {
        if (op.get("type").asText().equals("backup") && op.get("trigger").asText().equals("auto")
            && !op.get("status").asText().equals("RUNNING")) {
          auto = op;
        }
      }
      Thread.sleep(500);
    }
    assertThat(auto).as("a scheduled backup at " + scheduledAt).isNotNull();
    assertThat(auto.get("status").asText()).as(auto.toString()).isEqualTo("SUCCEEDED");
    assertThat(java.time.Instant.parse(auto.get("startedAt").asText())).isBetween(scheduledAt.toInstant(),
        scheduledAt.toInstant().plusSeconds(30));
    System.out.println("scheduled backup due " + scheduledAt + ": " + auto.get("startedAt").asText() + " .. "
        + auto.get("finishedAt").asText());
    JsonNode list = app.get("/v1/instances/" + id + "/backups").json();
    assertThat(list.size()).as(list.toString()).isEqualTo(3);

    // the others made 30 days old, the newest 20: retention (7 days) removes the others (files and rows), never the newest
    String newest = list.get(0).get("backupId").asText();
    jdbi.useHandle(h -> h.execute("UPDATE backups SET started_at = started_at - INTERVAL 30 DAY WHERE ins_id = ? "
        + "AND backup_id <> ?", id, newest));
    jdbi.useHandle(h -> h.execute("UPDATE backups SET started_at = started_at - INTERVAL 20 DAY WHERE backup_id = ?", newest));
    List<Path> files = new ArrayList<>();
    list.forEach(b -> files.add(root.resolve("backups").resolve(id).resolve("full").resolve(b.get("backupId").asText() + ".xb.zst")));
    // archived binlogs: one ending before the kept backup started (nothing can replay it), one after (a restore needs it)
    long keptStarted = java.time.Instant.now().minus(Duration.ofDays(20)).getEpochSecond();
    var archive = new io.rdsflow.activities.meta.BinlogArchiveDao(jdbi);
    Path oldBinlog = Files.writeString(root.resolve("old-binlog.000001"), "x");
    Path newBinlog = Files.writeString(root.resolve("new-binlog.000002"), "y");
    archive.record(new io.rdsflow.activities.meta.BinlogArchiveDao.Archived(id, "master", "mariadb-bin.000001", oldBinlog.toString(),
        keptStarted - 7200, keptStarted - 3600, "", 1, "0".repeat(64)));
    archive.record(new io.rdsflow.activities.meta.BinlogArchiveDao.Archived(id, "master", "mariadb-bin.000002", newBinlog.toString(),
        keptStarted - 3600, keptStarted + 3600, "", 1, "0".repeat(64)));
    String removed = new io.rdsflow.activities.ops.BackupScheduleControlImpl(jdbi, java.time.Clock.systemUTC()).applyRetention(id);
    System.out.println("retention: " + removed);
    JsonNode after = app.get("/v1/instances/" + id + "/backups").json();
    assertThat(after.size()).as(after.toString()).isEqualTo(1);
    assertThat(after.get(0).get("backupId").asText()).isEqualTo(newest);
    assertThat(files.get(0)).exists();
    assertThat(files.get(1)).doesNotExist();
    assertThat(files.get(2)).doesNotExist();
    assertThat(oldBinlog).as("a binlog ending before the oldest kept backup").doesNotExist();
    assertThat(newBinlog).as("a binlog a restore from the kept backup replays").exists();
    assertThat(archive.list(id)).extracting(io.rdsflow.activities.meta.BinlogArchiveDao.Archived::path)
        .doesNotContain(oldBinlog.toString()).contains(newBinlog.toString());
  }

  @Test
  @Order(3)
  void aBackupOfANodeThatDoesNotAnswerIsRecordedFailed() throws Exception {
    long pid = Long.parseLong(Files.readString(root.resolve("h0").resolve(id).resolve("slave/run/mysqld.pid")).trim());
    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    Thread.sleep(1000);
    TestApp.Reply accepted = app.post("/v1/instances/" + id + "/operations", Map.of("type", "backup"));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    JsonNode done = OperationsApi.waitFor(app, accepted.json().get("operationId").asText(), Duration.ofMinutes(2));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("FAILED");
    JsonNode failed = app.get("/v1/instances/" + id + "/backups").json().get(0);
    assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("FAILED");
    assertThat(failed.get("node").asText()).isEqualTo("slave");
    assertThat(failed.get("error").asText()).contains("does not answer");
  }

  @Test
  @Order(4)
  void unknownInstancesAre404AndTheBackupsOutliveTheirInstance() throws Exception {
    assertThat(app.get("/v1/instances/rl-000000000000/backups").status()).isEqualTo(404);
    TestApp.Reply node = app.post("/v1/instances/" + id + "/operations", Map.of("type", "backup", "node", "master"));
    assertThat(node.status()).as(node.toString()).isEqualTo(422);
    app.delete("/v1/instances/" + id);
    LocalEngineTest.waitForStatus(app, id, "DELETED", Duration.ofMinutes(2));
    JsonNode list = app.get("/v1/instances/" + id + "/backups").json();
    assertThat(list.size()).as(list.toString()).isEqualTo(2);
    assertThat(root.resolve("backups").resolve(id).resolve("full").resolve(list.get(1).get("backupId").asText() + ".xb.zst"))
        .exists();
  }

  /** Extracts and prepares the file, then starts a throwaway server on it: the rows are there, at the backup's GTID. */
  private static void restoresWithTheRows(Path file, String gtid) throws Exception {
    ServerBinaries bin = new BinaryLocator(null, root.resolve("dist")).locate();
    Path dir = root.resolve("restored");
    String prepared = PhysicalCopy.restore(bin, file, dir, root.resolve("restore.log"), Duration.ofMinutes(5), () -> { });
    assertThat(prepared).isEqualTo(gtid);
    assertThat(dir.resolve("shop/orders.ibd")).exists();
    int port = PortBlock.free(1).first();
    List<String> cmd = new ArrayList<>(List.of(bin.server().toString(), "--no-defaults", "--datadir=" + dir, "--port=" + port,
        "--bind-address=127.0.0.1", "--socket=" + root.resolve("restored.sock"), "--skip-grant-tables",
        "--innodb-buffer-pool-size=32M", "--log-error=" + root.resolve("restored.err")));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.add("--user=root");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve("restored.out").toFile()).start();
    try {
      Connection c = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (c == null) {
        try {
          c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?sslMode=disable", "root", "");
        } catch (java.sql.SQLException e) {
          if (System.nanoTime() > deadline || !p.isAlive()) {
            Path err = root.resolve(Files.exists(root.resolve("restored.err")) ? "restored.err" : "restored.out");
            throw new AssertionError("the restored server did not start: " + Files.readString(err), e);
          }
          Thread.sleep(200);
        }
      }
      try (Connection open = c) {
        assertThat(scalar(open, "SELECT COUNT(*) FROM shop.orders")).isEqualTo("100");
        assertThat(scalar(open, "SELECT item FROM shop.orders WHERE id = 100")).isEqualTo("row 100");
      }
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static String scalar(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.testkit.TestProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master-slave pair on one host (the default install), checked for what RUNNING promises: no
 * password in any file the servers write, the slave has applied everything (a row written on the
 * master right after RUNNING is on the slave within 1 s), and no step needed a retry.
 */
class MasterSlaveOnOneHostTest {
  @TempDir Path root;

  @Test
  void runningPairKeepsNoSecretOnDiskIsCaughtUpAndNeededNoRetry() throws Exception {
    Path hostDir = root.resolve("h0");
    Map<String, String> config = TestApp.config(root.resolve("server"), "one_host");
    config.put("localEngine.hostName", "h0");
    config.put("localEngine.baseDir", hostDir.toString());
    config.put("localEngine.portRange", PortBlock.free(10).range());
    config.put("collection.enabled", "false");
    try (TestApp app = TestApp.start(config)) {
      Map<String, Object> request = LocalEngineTest.request("pair", "master-slave", null);
      request.put("timeZone", "Asia/Shanghai"); // a named zone: both nodes need the time zone tables
      String id = app.post("/v1/instances", request).json().get("instanceId").asText();
      JsonNode running = LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
      Histories.replayAndMaybeRecord(app.application().parts().temporal().client(), "create-" + id, "create-local-master-slave");

      Map<String, Integer> ports = new LinkedHashMap<>();
      running.get("endpoints").forEach(e -> ports.put(e.get("role").asText(), e.get("port").asInt()));
      long visibleAfterMillis = writeOnMasterReadOnSlave(ports.get("master"), ports.get("slave"));
      System.out.println("slave visibility right after RUNNING: " + visibleAfterMillis + " ms");
      assertThat(visibleAfterMillis).as("a row written on the master right after RUNNING reaches the slave").isLessThan(1000);

      JsonNode steps = app.get("/v1/instances/" + id + "/steps").json().get("steps");
      List<String> retried = new ArrayList<>();
      steps.forEach(s -> {
        if (s.get("attempt").asInt() > 1) {
          retried.add(s.get("name").asText() + "(" + s.get("role").asText() + ") attempt " + s.get("attempt").asInt());
        }
      });
      assertThat(retried).as("steps that needed a retry on one host").isEmpty();

      Jdbi jdbi = app.application().parts().db().jdbi();
      SecretCipher cipher = app.application().parts().cipher();
      Map<String, String> passwords = new LinkedHashMap<>();
      passwords.put("application account shop_app", LocalEngineTest.PASSWORD);
      passwords.put("root", cipher.decrypt(new InstanceDao(jdbi).rootPassword(id).orElseThrow()));
      jdbi.withHandle(h -> h.createQuery("SELECT account_name, password_encrypted FROM instance_accounts WHERE ins_id = :i")
              .bind("i", id).mapToMap().list())
          .forEach(row -> passwords.put("account " + row.get("account_name"), cipher.decrypt((String) row.get("password_encrypted"))));
      assertThat(passwords).containsKeys("account rdsflow_admin", "account rdsflow_monitor", "account rdsflow_repl");

      Path instanceDir = hostDir.resolve(id);
      Path backupDir = root.resolve("server").resolve("backups").resolve(id); // backup.dir's default: <dataDir>/backups
      List<Path> files = new ArrayList<>();
      for (Path dir : List.of(instanceDir, backupDir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          walk.filter(Files::isRegularFile).forEach(files::add);
        }
      }
      assertThat(files).as("binlogs, relay logs, error logs, my.cnf and the creation's backup were searched")
          .anyMatch(f -> f.getFileName().toString().startsWith("mysql-bin."))
          .anyMatch(f -> f.toString().contains("relay"))
          .anyMatch(f -> f.getFileName().toString().equals("my.cnf"))
          .anyMatch(f -> f.getFileName().toString().endsWith(".xb.zst"));
      String replicationPassword = passwords.get("account rdsflow_repl");
      List<String> hits = new ArrayList<>();
      for (Path f : files) {
        String content = new String(contentOf(f), StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, String> p : passwords.entrySet()) {
          boolean serverKeepsIt = f.getFileName().toString().equals("master.info") && p.getValue().equals(replicationPassword);
          if (!serverKeepsIt && content.contains(p.getValue())) {
            hits.add(p.getKey() + " in " + f);
          }
        }
      }
      assertThat(hits).as("passwords found in files under " + instanceDir).isEmpty();
      for (String role : List.of("master", "slave")) {
        Path info = instanceDir.resolve(role).resolve("data/master.info");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(info))).as(info.toString()).isEqualTo("rw-------");
      }
      try (Connection slave = LocalEngineTest.connect(ports.get("slave"), "shop_app", LocalEngineTest.PASSWORD);
          ResultSet rs = slave.createStatement().executeQuery("SELECT @@global.time_zone")) {
        rs.next();
        assertThat(rs.getString(1)).as("the named zone is live on the slave: its time zone tables are loaded").isEqualTo("Asia/Shanghai");
      }
    } finally {
      TestProcesses.stopAllUnder(root);
    }
  }

  /** The file's bytes; a compressed backup's decompressed stream (its data files, mysql.* included). */
  private static byte[] contentOf(Path f) throws Exception {
    if (!f.getFileName().toString().endsWith(".zst")) {
      return Files.readAllBytes(f);
    }
    Process p = new ProcessBuilder("zstd", "-dc", f.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).as("zstd -dc " + f).isZero();
    return out;
  }

  /** Writes a row on the master and returns how long it took to be readable on the slave. */
  private static long writeOnMasterReadOnSlave(int master, int slave) throws Exception {
    try (Connection m = LocalEngineTest.connect(master, "shop_app", LocalEngineTest.PASSWORD);
        Connection s = LocalEngineTest.connect(slave, "shop_app", LocalEngineTest.PASSWORD)) {
      LocalEngineTest.exec(m, "CREATE TABLE shop.visible (id INT PRIMARY KEY)");
      LocalEngineTest.exec(m, "INSERT INTO shop.visible VALUES (42)");
      long start = System.nanoTime();
      while (System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
        try (ResultSet rs = s.createStatement().executeQuery("SELECT COUNT(*) FROM shop.visible WHERE id = 42")) {
          if (rs.next() && rs.getInt(1) == 1) {
            return (System.nanoTime() - start) / 1_000_000;
          }
        } catch (java.sql.SQLException notYet) {
          // the table has not replicated yet
        }
        Thread.sleep(5);
      }
      return Long.MAX_VALUE;
    }
  }
}

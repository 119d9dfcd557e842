package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.service.temporal.EmbeddedTemporal;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kill -9} of the {@code server} process (the shipped jar in a child JVM) at five points of a
 * master-slave creation and once during a deletion, with Temporal in another process (here: this JVM,
 * as with {@code rdsflow.jar temporal}). Each time the restarted server finishes the task within 60 s
 * of its start: RUNNING with exactly two server processes and working replication, or FAILED with
 * nothing left; a deletion ends DELETED with nothing left.
 */
class CrashRecoveryIT {
  /** Where the server dies: the first moment each step is seen started. */
  private static final List<String> KILL_POINTS = List.of(
      "do_make_dir",
      "do_init_mysql_db_master",
      "do_check_start_instance_success_slave",
      "do_install_duallmaster_slave",
      "do_reset_root_password");
  private static final Duration FINISH_WITHIN = Duration.ofSeconds(60);

  @TempDir Path root;

  @Test
  void aServerKilledMidCreationOrDeletionLeavesNothingStuck() throws Exception {
    Path hostDir = root.resolve("h0");
    Path log = root.resolve("server.log");
    Map<String, String> recoveries = new LinkedHashMap<>();
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      Map<String, String> config = config(temporal.target(), hostDir);
      ServerProcess server = ServerProcess.server(config, log);
      try {
        String last = null;
        for (String point : KILL_POINTS) {
          String id = server.post("/v1/instances", LocalEngineTest.request("crash-" + recoveries.size(), "master-slave", null))
              .json().get("instanceId").asText();
          server.awaitStepStarted(id, point);
          server.kill();
          server = ServerProcess.server(config, log);
          JsonNode end = awaitEnd(server, id);
          double seconds = (System.nanoTime() - server.startedNanos()) / 1e9;
          recoveries.put(point, String.format("%s %.1f s after the restart", end.get("status").asText(), seconds));
          assertNothingHalfMade(server, hostDir, id, end);
          if (last != null) {
            deleteAndCheck(server, hostDir, last);
          }
          last = end.get("status").asText().equals("RUNNING") ? id : null;
        }
        assertThat(last).as("the last creation ended RUNNING").isNotNull();
        assertThat(server.delete("/v1/instances/" + last).status()).isEqualTo(202);
        awaitStatusNot(server, last, "RUNNING");
        server.kill();
        server = ServerProcess.server(config, log);
        server.awaitStatus(last, "DELETED", FINISH_WITHIN, server.startedNanos());
        recoveries.put("deletion", String.format("DELETED %.1f s after the restart", (System.nanoTime() - server.startedNanos()) / 1e9));
        assertThat(TestProcesses.under(hostDir.resolve(last))).isEmpty();
        assertThat(hostDir.resolve(last)).doesNotExist();
      } finally {
        server.close();
        System.out.println("crash recovery (kill -9 at step -> outcome): " + recoveries);
      }
    } finally {
      TestProcesses.stopAllUnder(root);
    }
  }

  /**
   * Embedded defaults: Temporal lives in the server process and dies with it. A creation lost that way
   * is compensated at the next start — its running server stopped, its directory and ports gone — and
   * ends FAILED saying it was interrupted, instead of staying CREATING or leaving what it built behind.
   */
  @Test
  void aCreationLostWithTheEmbeddedTemporalIsCompensatedAtTheNextStart() throws Exception {
    Path hostDir = root.resolve("h0");
    Map<String, String> config = config("", hostDir);
    config.remove("temporal.target");
    config.put("temporal.embeddedPort", "0");
    try {
      String id;
      try (ServerProcess server = ServerProcess.server(config, root.resolve("embedded.log"))) {
        id = server.post("/v1/instances", LocalEngineTest.request("lost", "master-slave", null)).json().get("instanceId").asText();
        server.awaitStepStarted(id, "do_install_duallmaster_master");
        assertThat(TestProcesses.servers(hostDir.resolve(id))).as("the servers the creation started").hasSize(2);
        server.kill();
      }
      try (ServerProcess again = ServerProcess.server(config, root.resolve("embedded.log"))) {
        JsonNode failed = again.awaitStatus(id, "FAILED", FINISH_WITHIN, again.startedNanos());
        assertThat(failed.get("error").asText()).contains("interrupted").contains("what it had built was removed");
        assertThat(TestProcesses.under(hostDir.resolve(id))).as("compensation stopped its servers").isEmpty();
        assertThat(hostDir.resolve(id)).as("compensation removed its directories").doesNotExist();
        String steps = again.get("/v1/instances/" + id + "/steps").body();
        assertThat(steps).contains("COMPENSATED").doesNotContain("\"RUNNING\"");
      }
    } finally {
      TestProcesses.stopAllUnder(root);
    }
  }

  static Map<String, String> config(String temporalTarget, Path hostDir) throws Exception {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("dataDir", hostDir.getParent().resolve("server").toString());
    c.put("temporal.target", temporalTarget);
    c.put("security.encryptionPassword", TestApp.ENCRYPTION_PASSWORD);
    c.put("security.adminPassword", TestApp.ADMIN_PASSWORD);
    c.put("security.viewerPassword", TestApp.VIEWER_PASSWORD);
    c.put("localEngine.hostName", "h0");
    c.put("localEngine.baseDir", hostDir.toString());
    c.put("localEngine.portRange", PortBlock.free(20).range());
    c.put("collection.enabled", "false");
    return c;
  }

  private static void assertNothingHalfMade(ServerProcess server, Path hostDir, String id, JsonNode end) throws Exception {
    String steps = server.get("/v1/instances/" + id + "/steps").body();
    List<Long> processes = TestProcesses.under(hostDir.resolve(id));
    if (end.get("status").asText().equals("RUNNING")) {
      assertThat(TestProcesses.servers(hostDir.resolve(id))).as("exactly the master's and the slave's server: " + steps).hasSize(2);
      assertThat(TestProcesses.proxies(hostDir.resolve(id))).as("exactly one proxy: " + steps).hasSize(1);
      Map<String, Integer> ports = new LinkedHashMap<>();
      end.get("endpoints").forEach(e -> ports.put(e.get("role").asText(), e.get("port").asInt()));
      assertReplicates(ports.get("master"), ports.get("slave"));
    } else {
      assertThat(end.get("status").asText()).as(steps).isEqualTo("FAILED");
      assertThat(processes).as("a failed creation keeps no server: " + end).isEmpty();
      assertThat(hostDir.resolve(id)).as("a failed creation keeps no directory").doesNotExist();
    }
  }

  static void assertReplicates(int master, int slave) throws Exception {
    try (Connection m = LocalEngineTest.connect(master, "shop_app", LocalEngineTest.PASSWORD);
        Connection s = LocalEngineTest.connect(slave, "shop_app", LocalEngineTest.PASSWORD)) {
      LocalEngineTest.exec(m, "CREATE TABLE IF NOT EXISTS shop.crash (id INT PRIMARY KEY)");
      LocalEngineTest.exec(m, "INSERT INTO shop.crash VALUES (1)");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!hasRow(s)) {
        assertThat(System.nanoTime()).as("the row written on the master reaches the slave").isLessThan(deadline);
        Thread.sleep(50);
      }
    }
  }

  private static boolean hasRow(Connection c) throws SQLException {
    try (var st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='shop' AND table_name='crash'")) {
      rs.next();
      if (rs.getInt(1) == 0) {
        return false;
      }
    }
    try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM shop.crash")) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }

  private static void deleteAndCheck(ServerProcess server, Path hostDir, String id) throws Exception {
    assertThat(server.delete("/v1/instances/" + id).status()).isEqualTo(202);
    server.awaitStatus(id, "DELETED", Duration.ofMinutes(1), System.nanoTime());
    assertThat(TestProcesses.under(hostDir.resolve(id))).isEmpty();
  }

  /** RUNNING or FAILED within {@link #FINISH_WITHIN} of the server's start. */
  private static JsonNode awaitEnd(ServerProcess server, String id) throws InterruptedException {
    long deadline = server.startedNanos() + FINISH_WITHIN.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/v1/instances/" + id).json();
      String status = last.get("status").asText();
      if (status.equals("RUNNING") || status.equals("FAILED")) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("instance " + id + " not finished within " + FINISH_WITHIN + " of the restart: " + last
        + "\n" + server.get("/v1/instances/" + id + "/steps").body() + "\n" + server.tail());
  }

  private static void awaitStatusNot(ServerProcess server, String id, String status) throws InterruptedException {
    while (server.get("/v1/instances/" + id).json().get("status").asText().equals(status)) {
      Thread.sleep(10);
    }
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.service.temporal.EmbeddedTemporal;
import io.rdsflow.testkit.TestDatabase;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's scale-out set-up: two {@code server} processes (the shipped jar) on one Temporal and
 * one metadata database. A {@code kill -9} of either one, in turn, while a creation runs: the other
 * finishes the creation and runs the collection rounds within two periods.
 */
class ScaleOutIT {
  private static final Duration PERIOD = Duration.ofSeconds(6);

  @TempDir Path root;

  @Test
  void killingEitherServerLeavesCollectionAndCreationsRunningOnTheOther() throws Exception {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      Map<String, String> shared = CrashRecoveryIT.config(temporal.target(), root.resolve("h0"));
      TestDatabase db = TestDatabase.get();
      shared.put("database.url", db.newSchema("scale_out"));
      shared.put("database.user", db.user());
      shared.put("database.password", db.password());
      shared.put("collection.enabled", "true");
      shared.put("collection.jdbcPeriod", PERIOD.toSeconds() + "s");
      ServerProcess a = ServerProcess.server(with(shared, "dataDir", root.resolve("a").toString()), root.resolve("a.log"));
      ServerProcess b = ServerProcess.server(with(shared, "dataDir", root.resolve("b").toString()), root.resolve("b.log"));
      try {
        String first = create(a, "scale-0");
        a.awaitStatus(first, "RUNNING", Duration.ofMinutes(2), System.nanoTime());
        awaitRoundAfter(a, Instant.now(), Duration.ofMinutes(1)); // collect-local has a target and runs

        for (int i = 1; i <= 2; i++) {
          ServerProcess victim = i == 1 ? a : b;
          ServerProcess survivor = i == 1 ? b : a;
          String id = create(survivor, "scale-" + i);
          survivor.awaitStepStarted(id, "do_init_mysql_db_master");
          victim.kill();
          Instant killedAt = Instant.now();
          JsonNode round = awaitRoundAfter(survivor, killedAt, PERIOD.multipliedBy(2));
          System.out.println("kill " + i + ": next collection round started " + Duration.between(killedAt,
              Instant.parse(round.get("startedAt").asText())).toMillis() + " ms after the kill");
          survivor.awaitStatus(id, "RUNNING", Duration.ofSeconds(60), System.nanoTime());
          if (i == 1) {
            a = ServerProcess.server(with(shared, "dataDir", root.resolve("a").toString()), root.resolve("a.log"));
          }
        }
      } finally {
        a.close();
        b.close();
      }
    } finally {
      TestProcesses.stopAllUnder(root);
    }
  }

  private static Map<String, String> with(Map<String, String> config, String key, String value) {
    Map<String, String> c = new LinkedHashMap<>(config);
    c.put(key, value);
    return c;
  }

  private static String create(ServerProcess server, String name) {
    TestApp.Reply r = server.post("/v1/instances", LocalEngineTest.request(name, "master-slave", null));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("instanceId").asText();
  }

  /** The collect-local round that started after {@code after} and finished, within {@code within} of it. */
  private static JsonNode awaitRoundAfter(ServerProcess server, Instant after, Duration within) throws InterruptedException {
    Instant deadline = after.plus(within);
    String last = null;
    while (Instant.now().isBefore(deadline)) {
      for (JsonNode g : server.get("/v1/collections").json()) {
        last = g.toString();
        if (g.get("group").asText().equals("local") && Instant.parse(g.get("startedAt").asText()).isAfter(after)
            && g.get("targetsOk").asInt() > 0) {
          return g;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no collection round of group local started after " + after + " and finished within " + within
        + "; last: " + last + "\n" + server.tail());
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.TestDatabase;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's scale-out set-up, as users deploy it: one {@code temporal} process and two {@code server}
 * processes (the shipped jar in child JVMs) on the external MariaDB of the machine (127.0.0.1:3306, see
 * {@link TestDatabase#external()}), collection running. Eight master-slave creations at once: the steps run
 * on both processes (each one's own {@code rdsflow_steps_total} and log), a {@code kill -9} of one of them
 * mid-way leaves every creation RUNNING and replicating, finished by the other; a server started again
 * serves the same {@code rds_*} series as the one that stayed; and when that one is killed in turn, the
 * restarted one runs the next collection round within two periods.
 */
class ScaleOutIT {
  private static final int CREATIONS = 8;
  private static final Duration PERIOD = Duration.ofSeconds(6);
  /** Steps each process must have run before the kill: the work is shared, not one step by chance. */
  private static final int STEPS_ON_EACH_BEFORE_KILL = 20;
  private static final Pattern STEPS = Pattern.compile("(?m)^rdsflow_steps_total\\{[^}]*} ([0-9.eE+]+)");
  private static final Pattern INSTANCE_ID = Pattern.compile("instance_id=\"([^\"]*)\"");

  @TempDir Path root;

  @Test
  void twoServersShareEightCreationsAndEitherFinishesWhatTheOtherLeft() throws Exception {
    long t0 = System.nanoTime();
    Map<String, String> figures = new LinkedHashMap<>();
    int temporalPort = ServerProcess.freePort();
    ServerProcess temporal = ServerProcess.temporal(temporalPort, root.resolve("temporal.log"));
    ServerProcess a = null;
    ServerProcess b = null;
    try {
      Map<String, String> shared = CrashRecoveryIT.config("127.0.0.1:" + temporalPort, root.resolve("h0"));
      TestDatabase db = TestDatabase.external();
      shared.put("database.url", db.newSchema("scale_out"));
      shared.put("database.user", db.user());
      shared.put("database.password", db.password());
      shared.put("localEngine.portRange", PortBlock.free(CREATIONS * 5).range());
      shared.put("collection.enabled", "true");
      shared.put("collection.jdbcPeriod", PERIOD.toSeconds() + "s");
      shared.put("backup.schedule", "false");
      a = start(shared, "a");
      b = start(shared, "b");
      figures.put("temporal + 2 servers healthy", seconds(t0));

      List<String> ids = new ArrayList<>();
      long created = System.nanoTime();
      for (int i = 0; i < CREATIONS; i++) {
        ids.add(create(i % 2 == 0 ? a : b, "scale-" + i));
      }

      // the work lands on both: each process's own step counter (and log) before one of them dies
      double onA;
      double onB;
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      do {
        Thread.sleep(200);
        onA = stepsRun(a);
        onB = stepsRun(b);
        assertThat(System.nanoTime()).as("steps run on a: %s, on b: %s", onA, onB).isLessThan(deadline);
      } while (onA < STEPS_ON_EACH_BEFORE_KILL || onB < STEPS_ON_EACH_BEFORE_KILL);
      assertThat(stepLogLines(root.resolve("a.log"))).as("steps logged by a").isPositive();
      assertThat(stepLogLines(root.resolve("b.log"))).as("steps logged by b").isPositive();
      List<String> unfinished = unfinished(b, ids);
      assertThat(unfinished).as("creations still running at the kill: the kill is mid-way").isNotEmpty();
      a.kill();
      figures.put("kill -9 of a after", String.format("%s (steps run: a %.0f, b %.0f; %d of %d creations unfinished)",
          seconds(created), onA, onB, unfinished.size(), CREATIONS));

      for (String id : ids) {
        JsonNode done = awaitRunning(b, id, created + Duration.ofMinutes(3).toNanos());
        Map<String, Integer> ports = new LinkedHashMap<>();
        done.get("endpoints").forEach(e -> ports.put(e.get("role").asText(), e.get("port").asInt()));
        CrashRecoveryIT.assertReplicates(ports.get("master"), ports.get("slave"));
        assertThat(TestProcesses.servers(root.resolve("h0").resolve(id))).as("master and slave server of " + id).hasSize(2);
      }
      figures.put("all " + CREATIONS + " RUNNING and replicating after", seconds(created));
      double stepsOnB = stepsRun(b);

      // a server started again serves the same series as the one that stayed
      a = start(shared, "a");
      Instant restarted = Instant.now();
      awaitRoundAfter(b, restarted, PERIOD.multipliedBy(3), CREATIONS);
      Set<String> seriesB = comparableSeries(a, b, ids);
      for (String id : ids) {
        assertThat(seriesB).as("rds_up of both nodes of " + id)
            .anyMatch(s -> s.startsWith("rds_up{") && s.contains("instance_id=\"" + id + "\"") && s.contains("role=\"master\""))
            .anyMatch(s -> s.startsWith("rds_up{") && s.contains("instance_id=\"" + id + "\"") && s.contains("role=\"slave\""));
      }
      figures.put("rds_* series identical on both", seriesB.size() + " series of " + CREATIONS + " instances");

      // and the other one dies in turn: collection goes on on the restarted one
      b.kill();
      Instant killedAt = Instant.now();
      JsonNode round = awaitRoundAfter(a, killedAt, PERIOD.multipliedBy(2), CREATIONS);
      figures.put("kill -9 of b: next collection round on a after",
          Duration.between(killedAt, Instant.parse(round.get("startedAt").asText())).toMillis() + " ms");
      figures.put("steps run by b by then", String.format("%.0f", stepsOnB));
      figures.put("total", seconds(t0));
    } finally {
      for (ServerProcess p : new ServerProcess[] {a, b, temporal}) {
        if (p != null) {
          p.kill(); // nothing to keep: the instances' servers are stopped below, the schema is this test's
        }
      }
      TestProcesses.stopAllUnder(root);
      System.out.println("scale-out: " + figures);
    }
  }

  private ServerProcess start(Map<String, String> shared, String name) throws Exception {
    Map<String, String> c = new LinkedHashMap<>(shared);
    c.put("dataDir", root.resolve(name).toString());
    return ServerProcess.server(c, root.resolve(name + ".log"));
  }

  private static String create(ServerProcess server, String name) {
    TestApp.Reply r = server.post("/v1/instances", LocalEngineTest.request(name, "master-slave", null));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("instanceId").asText();
  }

  /** RUNNING before {@code deadlineNanos}; a creation that ends FAILED fails the test at once. */
  private static JsonNode awaitRunning(ServerProcess server, String id, long deadlineNanos) throws InterruptedException {
    JsonNode last = null;
    while (System.nanoTime() < deadlineNanos) {
      last = server.get("/v1/instances/" + id).json();
      String status = last.get("status").asText();
      if (status.equals("RUNNING")) {
        return last;
      }
      assertThat(status).as("creation %s: %s\n%s", id, last, server.get("/v1/instances/" + id + "/steps").body())
          .isNotEqualTo("FAILED");
      Thread.sleep(200);
    }
    throw new AssertionError("instance " + id + " not RUNNING in time: " + last + "\n"
        + server.get("/v1/instances/" + id + "/steps").body() + "\n" + server.tail());
  }

  private static List<String> unfinished(ServerProcess server, List<String> ids) {
    return ids.stream().filter(id -> !server.get("/v1/instances/" + id).json().get("status").asText().equals("RUNNING"))
        .toList();
  }

  /** The steps this process ran, from its own {@code /metrics}: the sum of {@code rdsflow_steps_total}. */
  private static double stepsRun(ServerProcess server) {
    Matcher m = STEPS.matcher(server.get("/metrics").body());
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  /** The lines of a process's log where {@code StepRunner} reports a step of a creation. */
  private static long stepLogLines(Path log) throws Exception {
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains("io.rdsflow.activities.steps.StepRunner") && l.contains("do_")).count();
    }
  }

  /**
   * The {@code rds_*} series (name and labels, no value) of the created instances, the same from both
   * processes: read from one, the other, the first again, until no new snapshot came in between.
   */
  private static Set<String> comparableSeries(ServerProcess first, ServerProcess second, List<String> ids)
      throws InterruptedException {
    for (int attempt = 0; attempt < 10; attempt++) {
      Set<String> before = series(first, ids);
      Set<String> other = series(second, ids);
      Set<String> after = series(first, ids);
      if (before.equals(after)) {
        assertThat(other).as("the rds_* series of the instances on the second process").isEqualTo(before);
        return other;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the snapshot changed during every one of 10 comparisons");
  }

  private static Set<String> series(ServerProcess server, List<String> ids) {
    Set<String> out = new TreeSet<>();
    for (String line : server.get("/metrics").body().split("\n")) {
      if (!line.startsWith("rds_")) {
        continue;
      }
      Matcher id = INSTANCE_ID.matcher(line);
      if (id.find() && ids.contains(id.group(1))) {
        int end = line.indexOf('}');
        out.add(end < 0 ? line.substring(0, line.indexOf(' ')) : line.substring(0, end + 1));
      }
    }
    return out;
  }

  /** The round of group local that started after {@code after}, collected at least {@code targets}, within {@code within}. */
  private static JsonNode awaitRoundAfter(ServerProcess server, Instant after, Duration within, int targets)
      throws InterruptedException {
    Instant deadline = after.plus(within);
    String last = null;
    while (Instant.now().isBefore(deadline)) {
      for (JsonNode g : server.get("/v1/collections").json()) {
        last = g.toString();
        if (g.get("group").asText().equals("local") && Instant.parse(g.get("startedAt").asText()).isAfter(after)
            && g.get("targetsOk").asInt() >= targets) {
          return g;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no collection round of group local with " + targets + " targets started after " + after
        + " within " + within + "; last: " + last + "\n" + server.tail());
  }

  private static String seconds(long since) {
    return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
  }
}

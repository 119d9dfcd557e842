package io.rdsflow.service;

import static io.rdsflow.service.LocalEngineTest.PASSWORD;
import static io.rdsflow.service.LocalEngineTest.connect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery point lag of the binlog archive with the default settings (interval 20 s, flushAfter 30 s) under steady
 * writes: a row every 250 ms on the master for {@code rdsflow.bench.seconds} (150); every second the lag is now minus
 * the recovery window's latest. Not a test the suite runs (no Test suffix): {@code bench/recovery-lag/run}. Prints the median and maximum lag; fails
 * above 60 s.
 */
class RecoveryPointLagBench {
  @TempDir Path root;

  @Test
  void recoveryPointLagUnderSteadyWrites() throws Exception {
    long seconds = Long.getLong("rdsflow.bench.seconds", 150);
    var config = OperationsApi.oneHostConfig(root, "lag");
    config.put("binlogArchive.enabled", "true"); // with its default interval and flushAfter
    TestApp app = TestApp.start(config);
    String id = null;
    try {
      id = app.post("/v1/instances", LocalEngineTest.request("lag", "single", null)).json().get("instanceId").asText();
      LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
      List<Double> lags = new ArrayList<>();
      try (Connection c = connect(OperationsApi.endpoints(app, id).get("master"), "shop_app", PASSWORD);
           Statement s = c.createStatement()) {
        s.execute("CREATE TABLE shop.w (k BIGINT PRIMARY KEY, t DOUBLE)");
        long start = System.currentTimeMillis();
        long nextSample = start + 1000;
        for (long k = 0; System.currentTimeMillis() - start < seconds * 1000; k++) {
          s.execute("INSERT INTO shop.w VALUES (" + k + ", " + System.currentTimeMillis() / 1000.0 + ")");
          if (System.currentTimeMillis() >= nextSample) {
            JsonNode w = app.get("/v1/instances/" + id + "/recovery-window").json();
            if (!w.get("latest").isNull()) {
              lags.add((System.currentTimeMillis() - Instant.parse(w.get("latest").asText()).toEpochMilli()) / 1000.0);
            }
            nextSample += 1000;
          }
          Thread.sleep(250);
        }
      }
      List<Double> sorted = lags.stream().sorted().toList();
      double max = sorted.get(sorted.size() - 1);
      System.out.printf("recovery point lag under steady writes (%d s, %d samples, interval 20 s, flushAfter 30 s): "
          + "median %.1f s, max %.1f s%n", seconds, sorted.size(), sorted.get(sorted.size() / 2), max);
      assertThat(max).isLessThanOrEqualTo(60.0);
    } finally {
      try {
        if (id != null) {
          app.delete("/v1/instances/" + id);
          LocalEngineTest.waitForStatus(app, id, "DELETED", Duration.ofMinutes(2));
        }
        app.close();
      } finally {
        TestProcesses.stopAllUnder(root);
      }
    }
  }
}

package io.rdsflow.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.service.OperationsApi;
import io.rdsflow.service.TestApp;
import io.rdsflow.testkit.aliyun.DasSession;
import io.rdsflow.testkit.aliyun.OpenApiError;
import io.rdsflow.testkit.aliyun.OpenApiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric name an alert, a recording rule or a dashboard panel reads is on the /metrics of a running
 * service that has what a user has: a local master-slave pair (JDBC collection of a master and a slave, the
 * creation's steps, a switchover) and a cloud instance collected through DAS in the simulator (one call
 * throttled, then retried). A name that is missing is listed with the files that use it.
 */
class MonitoredNamesLiveTest {
  static final String UID = "2222333344445555";
  static final String AK = "LTAIdeployNames0001";
  static final String SK = "deployNamesSecret000000000000001";
  static final String CLOUD_ID = "rm-deploy000000001";
  static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

  @TempDir static Path root;
  static OpenApiSimulator sim;
  static TestApp app;
  static String localId;

  @BeforeAll
  static void start() throws Exception {
    sim = OpenApiSimulator.builder().account(UID, AK, SK).start();
    sim.rds().registerInstance(UID, CLOUD_ID);
    sim.das().setSessions(CLOUD_ID, List.of(DasSession.of(1, "shop_app", "10.0.0.5", "shop", "Query", 3, "executing", "SELECT 1"),
        DasSession.sleeping(2, "shop_app", "10.0.0.6", "shop", 30)));
    sim.faults().failNext("GetMySQLAllSessionAsync", 1, OpenApiError.throttling("GetMySQLAllSessionAsync"));
    Map<String, String> config = OperationsApi.oneHostConfig(root, "deploy_names");
    config.put("collection.enabled", "true");
    config.put("collection.jdbcPeriod", "2s");
    config.put("collection.dasPeriod", "2s");
    config.put("collection.dasPollInterval", "50ms");
    config.put("aliyun.rdsEndpoint", sim.endpoint());
    config.put("aliyun.dasEndpoint", sim.endpoint());
    config.put("aliyun.protocol", "HTTP");
    app = TestApp.start(config);
    TestApp.Reply account = app.post("/v1/accounts", Map.of("aliyunUid", UID, "accessKeyId", AK, "accessKeySecret", SK,
        "regionId", "cn-shanghai"));
    assertThat(account.status()).as(account.toString()).isEqualTo(201);
    TestApp.Reply cloud = app.post("/v1/instances/register", Map.of("engine", "aliyun", "aliyunUid", UID, "instanceId", CLOUD_ID,
        "name", "cloud-orders"));
    assertThat(cloud.status()).as(cloud.toString()).isEqualTo(201);
    localId = OperationsApi.createPairWithOrders(app, "monitored");
    TestApp.Reply switchover = app.post("/v1/instances/" + localId + "/operations", Map.of("type", "switchover"));
    assertThat(switchover.status()).as(switchover.toString()).isEqualTo(202);
    JsonNode done = OperationsApi.waitFor(app, switchover.json().get("operationId").asText(), Duration.ofMinutes(2));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
  }

  @AfterAll
  static void stop() {
    OperationsApi.deleteAndClose(app, localId, root);
    if (sim != null) {
      sim.stop();
    }
  }

  @Test
  void everyNameTheRulesAndDashboardsReadIsExposed() throws Exception {
    Map<String, Set<String>> usedBy = new TreeMap<>();
    AlertRules.read(DeployFiles.rules()).expressions()
        .forEach(e -> PromqlNames.metricNames(e).forEach(n -> usedBy.computeIfAbsent(n, k -> new TreeSet<>()).add("rdsflow-rules.yml")));
    for (GrafanaDashboards.Dashboard d : GrafanaDashboards.read().all()) {
      d.expressions().forEach(e -> PromqlNames.metricNames(e)
          .forEach(n -> usedBy.computeIfAbsent(n, k -> new TreeSet<>()).add(d.file().getFileName().toString())));
    }
    assertThat(usedBy).as("names read by rules and dashboards").containsKeys("rds_up", "rdsflow_operations_total",
        "rds_replication_running", "rdsflow_cloud_api_throttled_total");

    // both kinds of instance are collected before the names are compared: the pair's slave and the cloud instance
    Map<String, Set<String>> missing = new TreeMap<>(usedBy);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = app.send("GET", "/metrics", null, null, null).body();
      Set<String> exposed = names(body);
      missing = new TreeMap<>(usedBy);
      missing.keySet().removeAll(exposed);
      boolean bothCollected = body.contains("rds_up{instance_id=\"" + CLOUD_ID + "\"") && body.contains("instance_id=\"" + localId + "\"");
      if (missing.isEmpty() && bothCollected) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(body).as("the cloud instance is collected through DAS").containsPattern("(?m)^rds_sessions\\{instance_id=\"" + CLOUD_ID + "\"");
    assertThat(body).as("the pair's slave is collected over JDBC")
        .containsPattern("(?m)^rds_replication_running\\{instance_id=\"" + localId + "\"");
    // what the mysqld-mixin's replication lag rule reads (seconds behind minus the configured delay), from a real replica
    assertThat(body).containsPattern("(?m)^mysql_slave_status_seconds_behind_master\\{instance_id=\"" + localId + "\"")
        .containsPattern("(?m)^mysql_slave_status_sql_delay\\{instance_id=\"" + localId + "\".*\\} 0\\.0$");
    assertThat(missing).as("names used by rules or dashboards (→ files) that the service's /metrics lacks").isEmpty();
    System.out.println("rules and dashboards read " + usedBy.size() + " metric names, all on /metrics");
  }

  /** Sample names of an exposition (a summary's {@code _count} included). */
  static Set<String> names(String exposition) {
    Set<String> out = new TreeSet<>();
    Matcher m = SAMPLE.matcher(exposition);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}

package io.rdsflow.service;

import static io.rdsflow.service.AliyunTestSupport.request;
import static io.rdsflow.service.AliyunTestSupport.stepNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.rds20140815.models.DescribeDBInstanceHAConfigRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.aliyun.OpenApiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations on aliyun instances through REST, against the RDS OpenAPI simulator driven by the real SDK:
 * switchover (SwitchDBInstanceHA) of a master-slave instance, restart (RestartDBInstance), a switch whose
 * answer is lost made once, and the operations that do not apply (422).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AliyunOperationsTest {
  static final String UID = "1100000000000011";
  static final String AK = "LTAI5tAliyunOpsKey0001";
  static final String SK = "AliyunOpsSecretOfAccount0123456789";

  @TempDir static Path dataDir;
  static OpenApiSimulator sim;
  static TestApp app;
  static AliyunTestSupport aliyun;
  static com.aliyun.rds20140815.Client rds;
  static String pair;
  static String single;

  @BeforeAll
  static void start() throws Exception {
    sim = OpenApiSimulator.builder().account(UID, AK, SK).allDelays(Duration.ofMillis(100))
        .createDelay(Duration.ofMillis(300)).switchDelay(Duration.ofMillis(400)).restartDelay(Duration.ofMillis(400)).start();
    aliyun = AliyunTestSupport.startWithAccount(dataDir, "aliyunops", sim, UID, AK, SK);
    app = aliyun.app();
    rds = AliyunTestSupport.rdsClient(sim, AK, SK);
    pair = aliyun.create(request("ops-pair", UID, "master-slave"));
    single = aliyun.create(request("ops-single", UID, "single"));
    aliyun.waitForStatus(pair, "RUNNING");
    aliyun.waitForStatus(single, "RUNNING");
  }

  @AfterAll
  static void stop() {
    AliyunTestSupport.close(app, sim);
  }

  @Test
  @Order(1)
  void switchoverMakesTheStandbyTheMasterThroughSwitchDBInstanceHA() throws Exception {
    String cloudId = aliyun.cloudId(pair);
    Map<String, String> before = roles(cloudId);
    assertThat(before).hasSize(2).containsValues("Master", "Slave");
    String master = key(before, "Master");
    String standby = key(before, "Slave");
    JsonNode endpointsBefore = app.get("/v1/instances/" + pair).json().get("endpoints");
    long switches = sim.stats().calls("SwitchDBInstanceHA");
    double succeeded = operationsTotal("switchover", "succeeded");
    StringBuilder replies = new StringBuilder();
    JsonNode done;
    try (LogCapture logs = new LogCapture()) {
      TestApp.Reply accepted = app.post("/v1/instances/" + pair + "/operations", Map.of("type", "switchover"));
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      String opId = accepted.json().get("operationId").asText();
      assertThat(opId).isEqualTo("op-" + pair + "-1");
      done = OperationsApi.waitFor(app, opId, Duration.ofSeconds(60));
      replies.append(accepted.body()).append(done).append(app.get("/v1/instances/" + pair + "/operations").body());
      assertThat(logs.all()).doesNotContain(SK);
    }
    assertThat(replies.toString()).doesNotContain(SK);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("type").asText()).isEqualTo("switchover");
    assertThat(done.get("trigger").asText()).isEqualTo("api");
    assertThat(done.get("progress").asText()).isEqualTo("3/3");
    assertThat(stepNames(done)).containsExactly("rdsflow_check_cloud_ha instance SUCCEEDED",
        "rdsflow_switch_cloud_ha instance SUCCEEDED", "rdsflow_wait_cloud_running instance SUCCEEDED");
    assertThat(done.get("steps").get(0).get("message").asText()).contains("master node " + master)
        .contains("standby node " + standby);
    assertThat(done.get("steps").get(2).get("message").asText()).contains("master node now " + standby);
    for (JsonNode s : done.get("steps")) {
      assertThat(s.get("attempt").asInt()).as(s.toString()).isEqualTo(1);
      assertThat(s.get("startedAt").isNull()).isFalse();
      assertThat(s.get("finishedAt").isNull()).isFalse();
    }

    assertThat(roles(cloudId)).containsEntry(standby, "Master").containsEntry(master, "Slave");
    assertThat(sim.stats().calls("SwitchDBInstanceHA") - switches).isEqualTo(1);
    assertThat(sim.rds().effects(UID, cloudId)).containsEntry("SwitchDBInstanceHA", 1);
    JsonNode view = app.get("/v1/instances/" + pair).json();
    assertThat(view.get("status").asText()).isEqualTo("RUNNING");
    assertThat(view.get("endpoints")).as("the connection string follows the master in the cloud").isEqualTo(endpointsBefore);
    assertThat(operationsTotal("switchover", "succeeded") - succeeded).isEqualTo(1.0);
    assertThat(prometheus("rdsflow_cloud_api_requests_total", Map.of("api", "SwitchDBInstanceHA", "code", "200")))
        .isGreaterThanOrEqualTo(1.0);
  }

  @Test
  @Order(2)
  void restartCallsRestartDBInstanceOnceAndWaitsUntilRunning() {
    String cloudId = aliyun.cloudId(pair);
    long restarts = sim.stats().calls("RestartDBInstance");
    JsonNode done = aliyun.operate(pair, Map.of("type", "restart"));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("progress").asText()).isEqualTo("2/2");
    assertThat(stepNames(done)).containsExactly("rdsflow_restart_cloud_instance instance SUCCEEDED",
        "rdsflow_wait_cloud_running instance SUCCEEDED");
    assertThat(done.get("steps").get(0).get("message").asText()).contains("ClientToken rdsflow-op-" + pair + "-2");
    assertThat(sim.stats().calls("RestartDBInstance") - restarts).isEqualTo(1);
    assertThat(sim.rds().effects(UID, cloudId)).containsEntry("RestartDBInstance", 1);
    assertThat(sim.rds().instanceStatus(UID, cloudId)).contains("Running");
    assertThat(operationsTotal("restart", "succeeded")).isEqualTo(1.0);

    assertThat(aliyun.operate(single, Map.of("type", "restart")).get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(sim.rds().effects(UID, aliyun.cloudId(single))).containsEntry("RestartDBInstance", 1);
  }

  @Test
  @Order(3)
  void aSwitchWhoseAnswerIsLostIsMadeOnce() {
    String cloudId = aliyun.cloudId(pair);
    Map<String, String> before = roles(cloudId);
    sim.faults().failNextAfterApplying("SwitchDBInstanceHA", 1); // switched in the cloud, answered 500
    sim.faults().failNext("DescribeDBInstanceHAConfig", 1); // and a 5xx that only costs a retry
    JsonNode done = aliyun.operate(pair, Map.of("type", "switchover"));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("steps").get(1).get("message").asText()).contains("answer was lost took effect");
    assertThat(roles(cloudId)).containsEntry(key(before, "Slave"), "Master");
    assertThat(sim.rds().effects(UID, cloudId)).containsEntry("SwitchDBInstanceHA", 2); // this one and the first test's
    assertThat(sim.stats().lostAnswers("SwitchDBInstanceHA")).isEqualTo(1);
  }

  @Test
  @Order(4)
  void operationsThatDoNotApplyAreRefusedWithoutACloudCall() {
    long calls = sim.stats().calls("SwitchDBInstanceHA") + sim.stats().calls("RestartDBInstance");
    int operations = app.get("/v1/instances/" + single + "/operations").json().size();
    aliyun.assertOperationRefused(single, Map.of("type", "switchover"), "type", "is single");
    aliyun.assertOperationRefused(pair, Map.of("type", "failover"), "type", "Alibaba Cloud fails RDS over by itself");
    aliyun.assertOperationRefused(single, Map.of("type", "failover"), "type", "Alibaba Cloud fails RDS over by itself");
    aliyun.assertOperationRefused(pair, Map.of("type", "restart", "node", "master"), "node", "restarts as a whole");
    aliyun.assertOperationRefused(pair, Map.of("type", "restart", "node", "slave"), "node", "restarts as a whole");
    aliyun.assertOperationRefused(single, Map.of("type", "restart", "node", "slave"), "node", "no slave");
    assertThat(sim.stats().calls("SwitchDBInstanceHA") + sim.stats().calls("RestartDBInstance")).isEqualTo(calls);
    assertThat(app.get("/v1/instances/" + single + "/operations").json().size()).isEqualTo(operations);
    assertThat(operationsTotal("switchover", "failed")).isZero();
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** DescribeDBInstanceHAConfig through the SDK: node id → Master/Slave. */
  static Map<String, String> roles(String cloudId) {
    try {
      Map<String, String> out = new LinkedHashMap<>();
      rds.describeDBInstanceHAConfig(new DescribeDBInstanceHAConfigRequest().setDBInstanceId(cloudId)).getBody()
          .getHostInstanceInfos().getNodeInfo().forEach(n -> out.put(n.getNodeId(), n.getNodeType()));
      return out;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String key(Map<String, String> roles, String type) {
    return roles.entrySet().stream().filter(e -> e.getValue().equals(type)).findFirst().orElseThrow().getKey();
  }

  static double operationsTotal(String type, String result) {
    return prometheus("rdsflow_operations_total", Map.of("type", type, "trigger", "api", "result", result));
  }

  static double prometheus(String name, Map<String, String> labels) {
    Metrics.awaitFreshLivePart();
    return Metrics.parse(app.send("GET", "/metrics", null, null, null).body()).value(name, labels).orElse(0);
  }
}

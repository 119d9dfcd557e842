package io.rdsflow.service;

import static io.rdsflow.service.AliyunTestSupport.request;
import static io.rdsflow.service.AliyunTestSupport.stepNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.rds20140815.models.DescribeDBInstanceAttributeRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceAttributeResponseBody.DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute;
import com.aliyun.rds20140815.models.DescribeParametersRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.aliyun.OpenApiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter and spec changes of an aliyun instance through REST, against the RDS OpenAPI simulator driven by the
 * real SDK: resize (ModifyDBInstanceSpec), modify-parameters (ModifyParameter, running values), upgrade-minor
 * (UpgradeDBInstanceKernelVersion), and a wrong request refused without a cloud call.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AliyunSpecChangesTest {
  static final String UID = AliyunOperationsTest.UID;
  static final String AK = AliyunOperationsTest.AK;
  static final String SK = AliyunOperationsTest.SK;

  @TempDir static Path dataDir;
  static OpenApiSimulator sim;
  static TestApp app;
  static AliyunTestSupport aliyun;
  static com.aliyun.rds20140815.Client rds;
  static String id;

  @BeforeAll
  static void start() throws Exception {
    sim = OpenApiSimulator.builder().account(UID, AK, SK).allDelays(Duration.ofMillis(100))
        .createDelay(Duration.ofMillis(300)).specDelay(Duration.ofMillis(600)).start();
    aliyun = AliyunTestSupport.startWithAccount(dataDir, "aliyunspec", sim, UID, AK, SK);
    app = aliyun.app();
    rds = AliyunTestSupport.rdsClient(sim, AK, SK);
    id = aliyun.create(request("spec-pair", UID, "master-slave"));
    aliyun.waitForStatus(id, "RUNNING");
  }

  @AfterAll
  static void stop() {
    AliyunTestSupport.close(app, sim);
  }

  @Test
  @Order(1)
  void resizeChangesTheClassAndStorageThroughModifyDBInstanceSpec() {
    String cloudId = aliyun.cloudId(id);
    assertThat(attribute(cloudId).getDBInstanceClass()).isEqualTo("mysql.n2.medium.2c");
    JsonNode done = aliyun.operate(id, Map.of("type", "resize", "instanceClass", "mysql.n2.large.2c", "storageGb", 200));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(stepNames(done)).containsExactly("rdsflow_resize_cloud_instance instance SUCCEEDED",
        "rdsflow_wait_cloud_spec instance SUCCEEDED");
    assertThat(done.get("steps").get(0).get("message").asText()).contains("was mysql.n2.medium.2c, 100 GB");
    var now = attribute(cloudId);
    assertThat(now.getDBInstanceClass()).isEqualTo("mysql.n2.large.2c");
    assertThat(now.getDBInstanceStorage()).isEqualTo(200);
    assertThat(now.getDBInstanceStatus()).isEqualTo("Running");
    assertThat(sim.rds().effects(UID, cloudId)).containsEntry("ModifyDBInstanceSpec", 1);
  }

  @Test
  @Order(2)
  void modifyParametersWaitsUntilTheValuesRun() throws Exception {
    String cloudId = aliyun.cloudId(id);
    JsonNode done = aliyun.operate(id, Map.of("type", "modify-parameters",
        "parameters", Map.of("max_connections", "3000", "wait_timeout", "600")));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(stepNames(done)).containsExactly("rdsflow_modify_cloud_parameters instance SUCCEEDED");
    assertThat(done.get("steps").get(0).get("message").asText()).contains("Forcerestart false")
        .contains("max_connections=3000");
    Map<String, String> running = new TreeMap<>();
    rds.describeParameters(new DescribeParametersRequest().setDBInstanceId(cloudId)).getBody().getRunningParameters()
        .getDBInstanceParameter().forEach(p -> running.put(p.getParameterName(), p.getParameterValue()));
    assertThat(running).containsEntry("max_connections", "3000").containsEntry("wait_timeout", "600");
  }

  @Test
  @Order(3)
  void upgradeMinorMovesToTheNewestKernelVersion() {
    String cloudId = aliyun.cloudId(id);
    String before = attribute(cloudId).getCurrentKernelVersion();
    JsonNode done = aliyun.operate(id, Map.of("type", "upgrade-minor"));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(stepNames(done)).containsExactly("rdsflow_upgrade_cloud_minor_version instance SUCCEEDED",
        "rdsflow_wait_cloud_spec instance SUCCEEDED");
    assertThat(attribute(cloudId).getCurrentKernelVersion()).isNotEqualTo(before);
    assertThat(done.get("steps").get(0).get("message").asText()).contains("from " + before + " to "
        + attribute(cloudId).getCurrentKernelVersion());
  }

  @Test
  @Order(4)
  void aWrongRequestIsRefusedWithoutACloudCall() {
    long calls = sim.stats().calls("ModifyParameter") + sim.stats().calls("ModifyDBInstanceSpec");
    int operations = app.get("/v1/instances/" + id + "/operations").json().size();
    aliyun.assertOperationRefused(id, Map.of("type", "modify-parameters", "parameters", Map.of("max_connections", "1")),
        "parameters.max_connections", "between");
    aliyun.assertOperationRefused(id, Map.of("type", "modify-parameters", "parameters", Map.of("nope", "1")),
        "parameters.nope", "not a settable");
    aliyun.assertOperationRefused(id, Map.of("type", "resize"), "instanceClass", "needs instanceClass");
    aliyun.assertOperationRefused(id, Map.of("type", "resize", "storageGb", 1), "storageGb", "between");
    assertThat(sim.stats().calls("ModifyParameter") + sim.stats().calls("ModifyDBInstanceSpec")).isEqualTo(calls);
    assertThat(app.get("/v1/instances/" + id + "/operations").json().size()).isEqualTo(operations);
  }

  private static DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute attribute(String cloudId) {
    try {
      return rds.describeDBInstanceAttribute(new DescribeDBInstanceAttributeRequest().setDBInstanceId(cloudId)).getBody()
          .getItems().getDBInstanceAttribute().get(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

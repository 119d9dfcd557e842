package io.rdsflow.service;

import static io.rdsflow.service.AliyunTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.activities.metrics.MetricNames;
import io.rdsflow.testkit.aliyun.CallStats;
import io.rdsflow.testkit.aliyun.OpenApiSimulator;
import io.rdsflow.testkit.aliyun.SimulatedRds;
import io.rdsflow.workflows.create.CreateInstanceWorkflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aliyun engine through the REST API, against the RDS OpenAPI simulator driven by the real SDK:
 * the whole creation, failures that must not be retried and faults that must be, restarts, idempotency,
 * account isolation, delete, compensation, registration and bad input.
 */
class AliyunEngineTest {
  static final String UID_A = "1100000000000001";
  static final String AK_A = "LTAI5tAliyunTestKeyA01";
  static final String SK_A = "AliyunSecretOfAccountA0123456789";
  static final String UID_B = "1100000000000002";
  static final String AK_B = "LTAI5tAliyunTestKeyB01";
  static final String SK_B = "AliyunSecretOfAccountB0123456789";
  /** Known to the simulator with SK_W, configured in rdsflow with another secret. */
  static final String UID_W = "1100000000000003";
  static final String AK_W = "LTAI5tAliyunTestKeyW01";
  static final String SK_W = "AliyunSecretOfAccountW0123456789";
  /** An account of its own for the test that deletes it. */
  static final String UID_C = "1100000000000004";
  static final String AK_C = "LTAI5tAliyunTestKeyC01";
  static final String SK_C = "AliyunSecretOfAccountC0123456789";
  static final String PASSWORD = "Acc0unt-Passw0rd!";
  /** How long a removal may try before it gives up (aliyun.deleteTimeout). */
  static final Duration DELETE_TIMEOUT = Duration.ofSeconds(10);
  static final Duration CREATE_DELAY = Duration.ofMillis(500);

  @TempDir static Path dataDir;
  static OpenApiSimulator sim;
  static TestApp app;
  static AliyunTestSupport aliyun;
  /** Meter counts when the test began: {@link #meter} reports what the test added. */
  static Map<String, Long> meterBaseline = Map.of();

  @BeforeAll
  static void start() throws Exception {
    sim = OpenApiSimulator.builder()
        .account(UID_A, AK_A, SK_A).account(UID_B, AK_B, SK_B).account(UID_W, AK_W, SK_W)
        .createDelay(CREATE_DELAY).deleteDelay(Duration.ofMillis(200)).accountDelay(Duration.ofMillis(100))
        .databaseDelay(Duration.ofMillis(100)).parameterDelay(Duration.ofMillis(200))
        .start();
    Map<String, String> config = AliyunTestSupport.config(dataDir, "aliyun", sim);
    config.put("aliyun.deleteTimeout", DELETE_TIMEOUT.toSeconds() + "s");
    app = TestApp.start(config);
    aliyun = new AliyunTestSupport(app, Duration.ofSeconds(30));
    aliyun.registerAccount(UID_A, AK_A, SK_A);
    aliyun.registerAccount(UID_B, AK_B, SK_B);
    aliyun.registerAccount(UID_W, AK_W, "NotTheSecretOfAccountW987654321");
  }

  @AfterAll
  static void stop() {
    AliyunTestSupport.close(app, sim);
  }

  @BeforeEach
  void cleanSlate() {
    sim.faults().clear();
    sim.throttling().clearAll();
    sim.rds().setCreateDelay(CREATE_DELAY);
    sim.stats().reset();
    Map<String, Long> counts = new LinkedHashMap<>();
    app.metrics().getMeters().forEach((name, m) -> counts.put(name, m.getCount()));
    meterBaseline = counts;
  }

  @Test
  @SuppressWarnings("unchecked")
  void createReachesRunningWithEveryCloudCallMadeOncePerStep() throws Exception {
    long createdBefore = sim.rds().instancesCreated();
    Map<String, Object> body = request("orders-a", UID_A, "master-slave");
    body.put("vpcId", "vpc-bp1test0001");
    body.put("vswitchId", "vsw-bp1test0001");
    body.put("whitelist", List.of("10.0.0.0/8", "192.168.1.10"));
    body.put("parameters", Map.of("max_connections", "3000"));
    body.put("timeZone", "+08:00");
    body.put("accounts", List.of(
        Map.of("name", "app_rw", "password", PASSWORD, "privileges", List.of(Map.of("database", "orders", "privilege", "ReadWrite"))),
        Map.of("name", "app_ro", "password", PASSWORD, "privileges", List.of(Map.of("database", "orders", "privilege", "ReadOnly")))));
    body.put("databases", List.of(Map.of("name", "orders", "charset", "utf8mb4")));
    body.put("backup", Map.of("retentionDays", 14, "preferredTime", "02:00"));
    String id;
    JsonNode view;
    StringBuilder responses = new StringBuilder();
    try (LogCapture logs = new LogCapture()) {
      TestApp.Reply accepted = app.post("/v1/instances", body);
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      id = accepted.json().get("instanceId").asText();
      view = aliyun.waitForStatus(id, "RUNNING");
      String steps = app.get("/v1/instances/" + id + "/steps").body();
      responses.append(accepted.body()).append(view).append(steps).append(app.get("/v1/instances").body())
          .append(app.get("/v1/accounts").body());
      // replayed against today's workflow code; -Drdsflow.recordHistories=... records it for ReplayTest
      String history = Histories.replayAndMaybeRecord(app.application().parts().temporal().client(),
          CreateInstanceWorkflow.workflowId(id), "create-aliyun-master-slave").getHistory().toString();
      assertThat(history).contains(id).contains("do_create_single_tenant_ins_and_wait_finish");
      for (String secret : List.of(SK_A, PASSWORD)) {
        assertThat(logs.all()).doesNotContain(secret);
        assertThat(responses.toString()).doesNotContain(secret);
        assertThat(history).doesNotContain(secret);
      }
      assertThat(logs.all()).contains(id);
    }

    String cloudId = aliyun.cloudId(id);
    assertThat(sim.rds().instancesCreated()).isEqualTo(createdBefore + 1);
    assertThat(sim.rds().instanceIds(UID_A)).contains(cloudId);
    assertThat(view.get("endpoints").get(0).get("host").asText()).isEqualTo(cloudId + ".mysql.rds.aliyuncs.com");
    assertThat(view.get("endpoints").get(0).get("port").asInt()).isEqualTo(3306);

    Map<String, Object> cloud = sim.rds().instanceSnapshot(UID_A, cloudId).orElseThrow();
    assertThat(cloud).containsEntry("Category", "HighAvailability").containsEntry("DBInstanceClass", "mysql.n2.medium.2c")
        .containsEntry("DBInstanceStorage", 100).containsEntry("VpcId", "vpc-bp1test0001").containsEntry("EngineVersion", "8.0")
        .containsEntry("ZoneId", "cn-hangzhou-i").containsEntry("DBInstanceDescription", "orders-a-" + id);
    assertThat((Map<Object, Object>) cloud.get("SecurityIps")).containsEntry("default", List.of("10.0.0.0/8", "192.168.1.10"));
    assertThat((Map<Object, Object>) cloud.get("Parameters")).containsEntry("max_connections", "3000")
        .containsEntry("default_time_zone", "+08:00");
    assertThat(cloud.get("Accounts").toString())
        .contains("app_rw={AccountStatus=Available, AccountType=Normal, Privileges={orders=ReadWrite}}")
        .contains("app_ro={AccountStatus=Available, AccountType=Normal, Privileges={orders=ReadOnly}}");
    assertThat(cloud.get("Databases").toString()).contains("orders={DBStatus=Running, CharacterSetName=utf8mb4}");
    assertThat((Map<Object, Object>) cloud.get("BackupPolicy")).containsEntry("PreferredBackupTime", "02:00Z-03:00Z")
        .containsEntry("BackupRetentionPeriod", 14);

    Map<String, Long> once = new LinkedHashMap<>();
    for (String api : List.of("CreateDBInstance", "ModifySecurityIps", "ModifyParameter", "ModifyBackupPolicy",
        "CreateDatabase")) {
      once.put(api, 1L);
    }
    once.put("CreateAccount", 2L);
    once.put("GrantAccountPrivilege", 2L);
    once.put("DeleteDBInstance", 0L);
    once.put("DescribeDBInstances", 0L);
    once.forEach((api, n) -> assertThat(sim.stats().calls(api)).as(api).isEqualTo(n));
    for (String api : SimulatedRds.ACTIONS) {
      assertThat(sim.stats().calls(api, CallStats.OK)).as(api + " answered only with success")
          .isEqualTo(sim.stats().calls(api));
    }
    assertThat(meter("rdsflow.cloud.api.requests.CreateDBInstance.200")).isEqualTo(1);
    assertThat(meter("rdsflow.cloud.api.requests.ModifyParameter.200")).isEqualTo(1);

    JsonNode steps = app.get("/v1/instances/" + id + "/steps").json();
    assertThat(steps.get("status").asText()).isEqualTo("SUCCEEDED");
    List<String> ran = new ArrayList<>();
    for (JsonNode s : steps.get("steps")) {
      if (s.get("status").asText().equals("SUCCEEDED")) {
        ran.add(s.get("name").asText());
        assertThat(s.get("attempt").asInt()).as(s.toString()).isEqualTo(1);
      } else {
        assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("SKIPPED");
        assertThat(s.get("message").asText()).as(s.toString()).isNotBlank();
      }
    }
    assertThat(ran).containsExactly("do_init", "do_check_accounts_and_dbs", "do_create_single_tenant_ins_and_wait_finish",
        "do_flush_user_whitelist", "do_build_params", "do_create_accounts", "do_create_dbs", "do_insert_baklist",
        "do_insert_instance_perf_table", "do_active_instance_for_install");
    assertThat(step(id, "do_make_dir").get("message").asText()).startsWith("host-only step");
    assertThat(step(id, "do_create_single_tenant_ins_and_wait_finish").get("message").asText()).contains(cloudId);
    assertThat(query("SELECT monitor_enabled FROM instance_list WHERE ins_id = '" + id + "'")).isEqualTo("1");
  }

  @Test
  void aWrongSecretFailsWithSignatureDoesNotMatchWithoutARetryStorm() throws Exception {
    String id = aliyun.create(request("wrong-secret", UID_W, "single"));
    JsonNode view = aliyun.waitForStatus(id, "FAILED");
    assertThat(view.get("error").asText()).contains("do_create_single_tenant_ins_and_wait_finish")
        .contains("SignatureDoesNotMatch");
    JsonNode failed = step(id, "do_create_single_tenant_ins_and_wait_finish");
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("attempt").asInt()).isEqualTo(1);
    assertThat(failed.get("message").asText()).startsWith("SignatureDoesNotMatch: ").contains("CreateDBInstance, HTTP 400");
    Thread.sleep(1500); // anything still retrying would call again meanwhile
    assertThat(rdsCalls()).isEqualTo(1);
    assertThat(sim.stats().calls("CreateDBInstance", "SignatureDoesNotMatch")).isEqualTo(1);
    assertThat(sim.rds().instanceIds(UID_W)).isEmpty();
  }

  @Test
  void aThrottlingStormAndABurstOf5xxStillEndRunningWithOneCloudInstance() throws Exception {
    long createdBefore = sim.rds().instancesCreated();
    int before = sim.rds().instanceIds(UID_A).size();
    sim.faults().failNext("CreateDBInstance", 2, "Throttling.User", 400);
    sim.faults().failNextAfterApplying("CreateDBInstance", 1); // created, but the answer is a 500
    sim.faults().failNext("ModifySecurityIps", 3, "ServiceUnavailable", 503);
    sim.faults().failNext("CreateAccount", 2);
    sim.throttling().setRate("DescribeDBInstanceAttribute", 1);
    sim.throttling().setRate("DescribeAccounts", 1);
    Map<String, Object> body = request("stormy", UID_A, "single");
    body.put("whitelist", List.of("10.1.0.0/16"));
    body.put("accounts", List.of(Map.of("name", "app", "password", PASSWORD)));
    String id = aliyun.create(body);
    aliyun.waitForStatus(id, "RUNNING");

    assertThat(sim.rds().instancesCreated()).isEqualTo(createdBefore + 1);
    assertThat(sim.rds().instanceIds(UID_A)).hasSize(before + 1).contains(aliyun.cloudId(id));
    assertThat(sim.stats().calls("CreateDBInstance")).isEqualTo(4);
    assertThat(sim.stats().throttled()).isGreaterThan(2);
    assertThat(meter("rdsflow.cloud.api.throttled.CreateDBInstance")).isEqualTo(2);
    assertThat(meter("rdsflow.cloud.api.throttled.DescribeDBInstanceAttribute")).isPositive();
    assertThat(meter("rdsflow.cloud.api.requests.CreateDBInstance." + MetricNames.segment("Throttling.User"))).isEqualTo(2);
    assertThat(meter("rdsflow.cloud.api.requests.CreateDBInstance.InternalError")).isEqualTo(1);
    assertThat(meter("rdsflow.cloud.api.requests.ModifySecurityIps.ServiceUnavailable")).isEqualTo(3);
    assertThat(sim.rds().instanceSnapshot(UID_A, aliyun.cloudId(id)).orElseThrow().get("SecurityIps").toString())
        .contains("10.1.0.0/16");
  }

  /** Every mutating API the creation uses: each loses the answer of its first call that took effect. */
  static final List<String> MUTATING = List.of("CreateDBInstance", "ModifySecurityIps", "ModifyParameter", "CreateAccount",
      "CreateDatabase", "GrantAccountPrivilege", "ModifyBackupPolicy");

  @Test
  @SuppressWarnings("unchecked")
  void everyChangeWhoseAnswerIsLostAfterItTookEffectIsMadeExactlyOnce() throws Exception {
    // two creations; in each, every mutating API loses its first answer after taking effect, to a 5xx for
    // half of them and to a dropped connection for the other half, the other way round in the second
    for (int round = 0; round < 2; round++) {
      sim.faults().clear();
      sim.stats().reset();
      for (int k = 0; k < MUTATING.size(); k++) {
        if ((k + round) % 2 == 0) {
          sim.faults().failNextAfterApplying(MUTATING.get(k), 1);
        } else {
          sim.faults().dropNextAfterApplying(MUTATING.get(k), 1);
        }
      }
      long createdBefore = sim.rds().instancesCreated();
      Map<String, Object> body = request("lost-answers-" + round, UID_A, "master-slave");
      body.put("vpcId", "vpc-bp1lost0001");
      body.put("vswitchId", "vsw-bp1lost0001");
      body.put("whitelist", List.of("10.3.0.0/16", "192.168.3.3"));
      body.put("parameters", Map.of("max_connections", "2500"));
      body.put("timeZone", "+08:00");
      body.put("accounts", List.of(
          Map.of("name", "app_rw", "password", PASSWORD, "privileges", List.of(
              Map.of("database", "orders", "privilege", "ReadWrite"), Map.of("database", "audit", "privilege", "ReadOnly"))),
          Map.of("name", "app_ro", "password", PASSWORD, "privileges", List.of(Map.of("database", "orders", "privilege", "ReadOnly")))));
      body.put("databases", List.of(Map.of("name", "orders", "charset", "utf8mb4"), Map.of("name", "audit", "charset", "utf8")));
      body.put("backup", Map.of("retentionDays", 10, "preferredTime", "04:00"));
      String id = aliyun.create(body);
      aliyun.waitForStatus(id, "RUNNING");

      for (String api : MUTATING) {
        assertThat(sim.faults().pending(api)).as(api + ": the planned fault struck").isZero();
        assertThat(sim.stats().lostAnswers(api)).as(api + ": one answer lost after the effect").isEqualTo(1);
      }
      String cloudId = aliyun.cloudId(id);
      assertThat(sim.rds().instancesCreated()).as("one cloud instance").isEqualTo(createdBefore + 1);
      assertThat(sim.rds().effectsView().stream().filter(i -> String.valueOf(i.get("DBInstanceDescription")).endsWith(id)))
          .extracting(i -> i.get("DBInstanceId")).containsExactly(cloudId);
      assertThat(sim.rds().effects(UID_A, cloudId)).as("every change made once").containsExactlyInAnyOrderEntriesOf(Map.of(
          "CreateDBInstance", 1,
          "ModifySecurityIps:default", 1,
          "ModifyParameter:default_time_zone,max_connections", 1,
          "CreateAccount:app_rw", 1, "CreateAccount:app_ro", 1,
          "CreateDatabase:orders", 1, "CreateDatabase:audit", 1,
          "GrantAccountPrivilege:app_rw", 1, "GrantAccountPrivilege:app_ro", 1,
          "ModifyBackupPolicy", 1));

      Map<String, Object> cloud = sim.rds().instanceSnapshot(UID_A, cloudId).orElseThrow();
      assertThat(((Map<String, Object>) cloud.get("Accounts")).keySet()).containsExactlyInAnyOrder("app_rw", "app_ro");
      assertThat(cloud.get("Accounts").toString())
          .contains("app_rw={AccountStatus=Available, AccountType=Normal, Privileges={orders=ReadWrite, audit=ReadOnly}}")
          .contains("app_ro={AccountStatus=Available, AccountType=Normal, Privileges={orders=ReadOnly}}");
      assertThat(((Map<String, Object>) cloud.get("Databases")).keySet()).containsExactlyInAnyOrder("orders", "audit");
      assertThat((Map<Object, Object>) cloud.get("SecurityIps")).containsEntry("default", List.of("10.3.0.0/16", "192.168.3.3"));
      assertThat((Map<Object, Object>) cloud.get("Parameters")).containsEntry("max_connections", "2500")
          .containsEntry("default_time_zone", "+08:00");
      assertThat((Map<Object, Object>) cloud.get("BackupPolicy")).containsEntry("PreferredBackupTime", "04:00Z-05:00Z")
          .containsEntry("BackupRetentionPeriod", 10);
      assertThat(step(id, "do_create_accounts").get("message").asText()).startsWith("2 account(s) created");
      assertThat(step(id, "do_create_dbs").get("message").asText()).startsWith("2 database(s) created");

      // and the deletion: DeleteDBInstance took effect, its answer is lost; the instance is seen Deleting
      // and the call is not sent again
      if (round == 0) {
        sim.faults().failNextAfterApplying("DeleteDBInstance", 1);
      } else {
        sim.faults().dropNextAfterApplying("DeleteDBInstance", 1);
      }
      assertThat(app.delete("/v1/instances/" + id).status()).isEqualTo(202);
      aliyun.waitForStatus(id, "DELETED");
      assertThat(sim.rds().instanceStatus(UID_A, cloudId)).isEmpty();
      assertThat(sim.stats().lostAnswers("DeleteDBInstance")).isEqualTo(1);
      assertThat(sim.stats().calls("DeleteDBInstance")).as("sent once (plus OkHttp's own re-send of a dropped one)")
          .isEqualTo(sim.stats().calls("DeleteDBInstance", "SignatureNonceUsed") + 1);
    }
  }

  @Test
  void anAccountOfTheSameNameThatRdsflowDidNotCreateIsNotTakenForItsOwn() throws Exception {
    sim.faults().latency("ModifySecurityIps", Duration.ofSeconds(2)); // time to add the account
    Map<String, Object> body = request("foreign-account", UID_A, "single");
    body.put("whitelist", List.of("10.4.0.0/16"));
    body.put("accounts", List.of(Map.of("name", "app", "password", PASSWORD)));
    String id = aliyun.create(body);
    String cloudId = awaitCloudId(id);
    com.aliyun.rds20140815.Client console = AliyunTestSupport.rdsClient(sim, AK_A, SK_A);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!sim.rds().instanceStatus(UID_A, cloudId).orElseThrow().equals("Running") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    console.createAccount(new com.aliyun.rds20140815.models.CreateAccountRequest().setDBInstanceId(cloudId)
        .setAccountName("app").setAccountPassword("Someone-Else1").setAccountDescription("made in the console"));
    JsonNode view = aliyun.waitForStatus(id, "FAILED");
    assertThat(view.get("error").asText()).contains("do_create_accounts")
        .contains("account app exists on " + cloudId + " but rdsflow did not create it");
    assertThat(sim.stats().calls("CreateAccount")).isEqualTo(1); // the console's
    assertThat(sim.rds().instanceStatus(UID_A, cloudId)).isEmpty(); // compensation removed the instance
  }

  @Test
  void theSimulatorRestartedMidPollAndTheWorkflowResumes() throws Exception {
    sim.rds().setCreateDelay(Duration.ofSeconds(3));
    long createdBefore = sim.rds().instancesCreated();
    String id = aliyun.create(request("restarted", UID_A, "single"));
    String cloudId = awaitCloudId(id);
    assertThat(sim.rds().instanceStatus(UID_A, cloudId)).contains("Creating");
    sim.stop();
    try {
      Thread.sleep(1000);
    } finally {
      sim.start();
    }
    aliyun.waitForStatus(id, "RUNNING");
    assertThat(meter("rdsflow.cloud.api.requests.DescribeDBInstanceAttribute.NetworkError")).isPositive();
    assertThat(sim.rds().instancesCreated()).isEqualTo(createdBefore + 1);
    JsonNode wait = step(id, "do_create_single_tenant_ins_and_wait_finish");
    assertThat(wait.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(wait.get("attempt").asInt()).as("the poll rode out the outage itself").isEqualTo(1);
    assertThat(wait.get("message").asText()).contains(cloudId);
  }

  @Test
  void aCreateWhoseAnswerWasLostIsFoundAndRemovedByCompensation() throws Exception {
    long createdBefore = sim.rds().instancesCreated();
    sim.faults().failNextAfterApplying("CreateDBInstance", 1); // created, the answer is a 500
    sim.faults().failNext("CreateDBInstance", 1, "InvalidDBInstanceClass.Malformed", 400); // then refused for good
    String id = aliyun.create(request("lost-answer", UID_A, "single"));
    JsonNode view = aliyun.waitForStatus(id, "FAILED");
    assertThat(view.get("error").asText()).contains("InvalidDBInstanceClass.Malformed");
    assertThat(sim.rds().instancesCreated()).isEqualTo(createdBefore + 1);
    assertThat(sim.stats().calls("DescribeDBInstances", CallStats.OK)).isEqualTo(1);
    String cloudId = aliyun.cloudId(id);
    assertThat(sim.rds().instanceStatus(UID_A, cloudId)).isEmpty();
    assertThat(sim.stats().calls("DeleteDBInstance", CallStats.OK)).isEqualTo(1);
    assertThat(query("SELECT cloud_state FROM instance_list WHERE ins_id = '" + id + "'")).isEqualTo("RELEASED");
  }

  @Test
  void theSameClientTokenTwiceGivesOneInstance() throws Exception {
    long createdBefore = sim.rds().instancesCreated();
    Map<String, Object> body = request("tokened", UID_A, "single");
    body.put("clientToken", "order-4711");
    CompletableFuture<TestApp.Reply> first = CompletableFuture.supplyAsync(() -> app.post("/v1/instances", body));
    CompletableFuture<TestApp.Reply> second = CompletableFuture.supplyAsync(() -> app.post("/v1/instances", body));
    String id = first.get().json().get("instanceId").asText();
    assertThat(first.get().status()).isEqualTo(202);
    assertThat(second.get().status()).isEqualTo(202);
    assertThat(second.get().json().get("instanceId").asText()).isEqualTo(id);
    aliyun.waitForStatus(id, "RUNNING");
    TestApp.Reply third = app.post("/v1/instances", body);
    assertThat(third.json().get("instanceId").asText()).isEqualTo(id);
    assertThat(third.json().get("status").asText()).isEqualTo("RUNNING");
    assertThat(sim.rds().instancesCreated()).isEqualTo(createdBefore + 1);
    assertThat(sim.stats().calls("CreateDBInstance")).isEqualTo(1);
    int named = 0;
    for (JsonNode i : app.get("/v1/instances").json()) {
      named += i.get("name").asText().equals("tokened") ? 1 : 0;
    }
    assertThat(named).isEqualTo(1);
  }

  @Test
  void twoAccountsNeverSeeEachOthersInstancesAndARotationIsPickedUp() throws Exception {
    CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> aliyun.create(request("iso-a", UID_A, "single")));
    CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> aliyun.create(request("iso-b", UID_B, "single")));
    String idA = a.get();
    String idB = b.get();
    aliyun.waitForStatus(idA, "RUNNING");
    aliyun.waitForStatus(idB, "RUNNING");
    String cloudA = aliyun.cloudId(idA);
    String cloudB = aliyun.cloudId(idB);
    assertThat(sim.rds().instanceIds(UID_A)).contains(cloudA).doesNotContain(cloudB);
    assertThat(sim.rds().instanceIds(UID_B)).contains(cloudB).doesNotContain(cloudA);
    assertThat(app.get("/v1/instances/" + idB).json().get("aliyunUid").asText()).isEqualTo(UID_B);

    String unmanagedOfA = sim.rds().registerInstance(UID_A, "rm-isolationa00001");
    TestApp.Reply foreign = register(UID_B, unmanagedOfA, "foreign-a");
    assertThat(foreign.status()).as(foreign.toString()).isEqualTo(422);
    assertThat(foreign.json().get("message").asText()).startsWith("instanceId").contains("InvalidDBInstanceId.NotFound");

    // rotate B's key pair; the old one stops working in the cloud at once
    sim.addAccount(UID_B, "LTAI5tAliyunTestKeyB02", "RotatedSecretOfAccountB01234567");
    TestApp.Reply rotated = app.put("/v1/accounts/" + UID_B + "/credentials",
        Map.of("accessKeyId", "LTAI5tAliyunTestKeyB02", "accessKeySecret", "RotatedSecretOfAccountB01234567"));
    assertThat(rotated.status()).isEqualTo(200);
    sim.removeAccount(AK_B);
    try {
      String idB2 = aliyun.create(request("iso-b2", UID_B, "single"));
      aliyun.waitForStatus(idB2, "RUNNING");
      assertThat(sim.rds().instanceIds(UID_B)).contains(aliyun.cloudId(idB2));
      String existing = sim.rds().registerInstance(UID_B, "rm-isolationb00001");
      assertThat(register(UID_B, existing, "legacy-b").status()).isEqualTo(201);
      assertThat(sim.stats().calls("CreateDBInstance", "InvalidAccessKeyId.NotFound")).isZero();
    } finally {
      sim.addAccount(UID_B, AK_B, SK_B);
    }
  }

  @Test
  void deleteRemovesTheCloudInstance() throws Exception {
    String id = aliyun.create(request("to-delete", UID_A, "single"));
    aliyun.waitForStatus(id, "RUNNING");
    String cloudId = aliyun.cloudId(id);
    TestApp.Reply deleting = app.delete("/v1/instances/" + id);
    assertThat(deleting.status()).isEqualTo(202);
    aliyun.waitForStatus(id, "DELETED");
    assertThat(sim.rds().instanceStatus(UID_A, cloudId)).isEmpty();
    assertThat(sim.stats().calls("DeleteDBInstance", CallStats.OK)).isEqualTo(1);
    assertThat(query("SELECT cloud_state FROM instance_list WHERE ins_id = '" + id + "'")).isEqualTo("RELEASED");
    assertThat(app.get("/v1/instances/" + id + "/steps?task=delete").json().get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aCloudThatNeverAnswersShowsDeletingThenFailedNamingTheCloudInstanceAndASecondDeleteFinishesIt() throws Exception {
    sim.addAccount(UID_C, AK_C, SK_C);
    aliyun.registerAccount(UID_C, AK_C, SK_C);
    sim.rds().setCreateDelay(Duration.ofSeconds(3));
    String id = aliyun.create(request("unanswered", UID_C, "single"));
    String cloudId = awaitCloudId(id);
    sim.stop(); // the endpoint refuses every connection from now on
    try {
      java.time.Instant deleteAt = java.time.Instant.now();
      TestApp.Reply cancel = app.delete("/v1/instances/" + id);
      assertThat(cancel.status()).isEqualTo(202);
      assertThat(cancel.json().get("status").asText()).isEqualTo("CANCELLING");

      // while compensation tries to delete the cloud instance: DELETING, the cloud's answer, since when
      JsonNode deleting = waitFor(id, Duration.ofSeconds(20), v -> v.get("status").asText().equals("DELETING")
          && v.get("error").asText().contains("NetworkError"));
      assertThat(deleting.get("error").asText()).contains(cloudId).contains("DescribeDBInstanceAttribute")
          .doesNotContain(SK_C).doesNotContain(AK_C);
      java.time.Instant since = java.time.Instant.parse(deleting.get("deletingSince").asText());
      assertThat(since).isBetween(deleteAt.minusSeconds(1), java.time.Instant.now());
      // a second DELETE meanwhile starts no second removal
      TestApp.Reply again = app.delete("/v1/instances/" + id);
      assertThat(again.status()).isEqualTo(202);
      assertThat(again.json().get("workflowId").asText()).isEqualTo(CreateInstanceWorkflow.workflowId(id));
      assertThat(app.get("/v1/instances/" + id + "/steps?task=delete").status()).isEqualTo(404);

      // after aliyun.deleteTimeout: FAILED, naming what is left in the cloud to delete by hand
      JsonNode failed = waitFor(id, DELETE_TIMEOUT.plusSeconds(30), v -> v.get("status").asText().equals("FAILED"));
      assertThat(java.time.Duration.between(since, java.time.Instant.now())).isGreaterThanOrEqualTo(DELETE_TIMEOUT);
      assertThat(failed.get("error").asText()).contains("cloud instance " + cloudId + " (account " + UID_C
          + ", region cn-hangzhou) could not be deleted").contains("NetworkError").contains("DELETE this instance again");
      assertThat(failed.path("deletingSince").isMissingNode() || failed.path("deletingSince").isNull()).isTrue();

      // its account cannot be deleted: the message names the instance and the cloud instance left
      TestApp.Reply account = app.delete("/v1/accounts/" + UID_C);
      assertThat(account.status()).isEqualTo(409);
      assertThat(account.json().get("message").asText()).contains(id + " (FAILED, cloud instance " + cloudId);
    } finally {
      sim.start();
    }
    assertThat(sim.rds().instanceStatus(UID_C, cloudId)).isPresent();

    // the cloud answers again: a second DELETE removes the cloud instance and ends DELETED
    TestApp.Reply delete = app.delete("/v1/instances/" + id);
    assertThat(delete.status()).isEqualTo(202);
    assertThat(delete.json().get("status").asText()).isEqualTo("DELETING");
    aliyun.waitForStatus(id, "DELETED");
    assertThat(sim.rds().instanceStatus(UID_C, cloudId)).isEmpty();
    assertThat(sim.stats().calls("DeleteDBInstance", CallStats.OK)).isEqualTo(1);
    assertThat(query("SELECT cloud_state FROM instance_list WHERE ins_id = '" + id + "'")).isEqualTo("RELEASED");
    assertThat(app.get("/v1/instances/" + id + "/steps?task=delete").json().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(app.delete("/v1/accounts/" + UID_C).status()).isEqualTo(204);
  }

  @Test
  void aDeletionTheCloudNeverAnswersEndsFailedAndIsTriedAgainByTheNextDelete() throws Exception {
    String id = aliyun.create(request("unanswered-delete", UID_A, "single"));
    aliyun.waitForStatus(id, "RUNNING");
    String cloudId = aliyun.cloudId(id);
    sim.stop();
    try {
      assertThat(app.delete("/v1/instances/" + id).json().get("status").asText()).isEqualTo("DELETING");
      JsonNode deleting = waitFor(id, Duration.ofSeconds(20), v -> v.get("status").asText().equals("DELETING")
          && v.get("error").asText().contains("NetworkError"));
      assertThat(deleting.get("error").asText()).startsWith("deleting cloud instance " + cloudId + ": NetworkError: ");
      assertThat(deleting.get("deletingSince").isTextual()).isTrue();
      JsonNode failed = waitFor(id, DELETE_TIMEOUT.plusSeconds(30), v -> v.get("status").asText().equals("FAILED"));
      assertThat(failed.get("error").asText()).startsWith("deletion failed: could not remove: cloud instance " + cloudId
          + " (account " + UID_A + ", region cn-hangzhou) could not be deleted");
      assertThat(app.get("/v1/instances/" + id + "/steps?task=delete").json().get("status").asText()).isEqualTo("FAILED");
    } finally {
      sim.start();
    }
    assertThat(app.delete("/v1/instances/" + id).status()).isEqualTo(202);
    assertThat(app.get("/v1/instances/" + id + "/steps?task=delete").json().get("status").asText()).isIn("RUNNING", "SUCCEEDED");
    aliyun.waitForStatus(id, "DELETED");
    assertThat(sim.rds().instanceStatus(UID_A, cloudId)).isEmpty();
    assertThat(app.get("/v1/instances/" + id + "/steps?task=delete").json().get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void compensationRemovesTheCloudInstanceAfterAFailedStepAndAfterACancel() throws Exception {
    sim.faults().failNext("ModifySecurityIps", 1, "InvalidSecurityIPList.Malformed", 400);
    Map<String, Object> body = request("compensated", UID_A, "single");
    body.put("whitelist", List.of("10.2.0.0/16"));
    String id = aliyun.create(body);
    JsonNode view = aliyun.waitForStatus(id, "FAILED");
    assertThat(view.get("error").asText()).contains("do_flush_user_whitelist").contains("InvalidSecurityIPList.Malformed");
    String cloudId = aliyun.cloudId(id);
    assertThat(sim.rds().instanceStatus(UID_A, cloudId)).isEmpty();
    assertThat(step(id, "do_create_single_tenant_ins_and_wait_finish").get("status").asText()).isEqualTo("COMPENSATED");
    assertThat(step(id, "do_flush_user_whitelist").get("attempt").asInt()).isEqualTo(1);
    assertThat(sim.stats().calls("ModifySecurityIps")).isEqualTo(1);

    // DELETE while the cloud instance is still Creating: the create is cancelled, then what it made is removed
    sim.rds().setCreateDelay(Duration.ofSeconds(2));
    String cancelled = aliyun.create(request("cancelled", UID_A, "single"));
    String cancelledCloudId = awaitCloudId(cancelled);
    assertThat(app.delete("/v1/instances/" + cancelled).json().get("status").asText()).isEqualTo("CANCELLING");
    aliyun.waitForStatus(cancelled, "FAILED");
    assertThat(sim.rds().instanceStatus(UID_A, cancelledCloudId)).isEmpty();
    assertThat(sim.stats().calls("DeleteDBInstance", CallStats.OK)).isEqualTo(2);
  }

  @Test
  void registerPutsAnExistingCloudInstanceUnderMonitoringAndNeverDeletesIt() throws Exception {
    String existing = sim.rds().registerInstance(UID_A, Map.of("DBInstanceId", "rm-legacy00000a1", "Category", "HighAvailability",
        "RegionId", "cn-shanghai", "EngineVersion", "5.7"));
    TestApp.Reply r = app.post("/v1/instances/register", Map.of("engine", "aliyun", "aliyunUid", UID_A, "instanceId", existing,
        "name", "legacy-a", "labels", Map.of("team", "payments")));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().get("instanceId").asText()).isEqualTo(existing);
    assertThat(r.json().get("status").asText()).isEqualTo("RUNNING");
    assertThat(r.json().get("aliyunUid").asText()).isEqualTo(UID_A);
    assertThat(r.json().get("topology").asText()).isEqualTo("master-slave");
    assertThat(r.json().get("endpoints").get(0).get("host").asText()).isEqualTo(existing + ".mysql.rds.aliyuncs.com");
    assertThat(query("SELECT CONCAT(monitor_enabled, ' ', region_id, ' ', cloud_state, ' ', engine_version) FROM instance_list "
        + "WHERE ins_id = '" + existing + "'")).isEqualTo("1 cn-shanghai REGISTERED 5.7");
    assertThat(sim.stats().calls("DescribeDBInstanceAttribute")).isEqualTo(1);

    assertThat(register(UID_A, existing, "legacy-a2").status()).isEqualTo(409);
    assertThat(register(UID_A, "rm-doesnotexist001", "ghost").status()).isEqualTo(422);

    assertThat(app.delete("/v1/instances/" + existing).status()).isEqualTo(202);
    aliyun.waitForStatus(existing, "DELETED");
    assertThat(sim.rds().instanceStatus(UID_A, existing)).contains("Running");
    assertThat(sim.stats().calls("DeleteDBInstance")).isZero();
    // and it can be registered again
    assertThat(register(UID_A, existing, "legacy-a").status()).isEqualTo(201);
  }

  @Test
  void badInputIsRejectedNamingTheFieldWithoutACloudCall() throws Exception {
    int instances = app.get("/v1/instances").json().size();
    assertRejected(with("aliyunUid", "1999999999999999"), "aliyunUid");
    assertRejected(with("aliyunUid", null), "aliyunUid");
    assertRejected(with("regionId", "Hangzhou!"), "regionId");
    assertRejected(with("zoneId", "cn-shanghai-b"), "zoneId");
    assertRejected(with("instanceClass", "large"), "instanceClass");
    assertRejected(with("instanceClass", null), "instanceClass");
    assertRejected(with("storageGb", 5), "storageGb");
    assertRejected(with("storageGb", 70000), "storageGb");
    assertRejected(with("storageGb", 101), "storageGb");
    assertRejected(with("engineVersion", "10.11"), "engineVersion");
    assertRejected(with("vpcId", "vpc-bp1onlyvpc01"), "vswitchId");
    assertRejected(with("timeZone", "Asia/Shanghai"), "timeZone");
    assertRejected(with("backup", Map.of("retentionDays", 3, "preferredTime", "02:00")), "backup.retentionDays");
    assertRejected(with("backup", Map.of("retentionDays", 7, "preferredTime", "02:30")), "backup.preferredTime");
    assertRejected(with("placement", Map.of("master", "host1")), "placement");
    assertRejected(with("databases", List.of(Map.of("name", "orders", "charset", "binary"))), "databases[0].charset");
    assertRejected(with("accounts", List.of(Map.of("name", "app_", "password", PASSWORD))), "accounts[0].name");
    assertRejected(with("color", "blue"), "color");
    Map<String, Object> local = request("local-with-cloud-fields", UID_A, "single");
    local.put("engine", "local");
    local.put("engineVersion", "10.11");
    TestApp.Reply r = app.post("/v1/instances", local);
    assertThat(r.status()).as(r.toString()).isEqualTo(422);

    TestApp.Reply noAccount = register("1999999999999999", "rm-legacy00000b1", "legacy-x");
    assertThat(noAccount.status()).isEqualTo(422);
    assertThat(noAccount.json().get("message").asText()).startsWith("aliyunUid");
    assertThat(register(UID_A, "i-notanrdsid", "legacy-y").json().get("message").asText()).startsWith("instanceId");
    TestApp.Reply withHost = app.post("/v1/instances/register", Map.of("engine", "aliyun", "aliyunUid", UID_A,
        "instanceId", "rm-legacy00000c1", "name", "legacy-z", "host", "10.0.0.1"));
    assertThat(withHost.status()).isEqualTo(422);
    assertThat(withHost.json().get("message").asText()).startsWith("host");

    assertThat(rdsCalls()).isZero();
    assertThat(app.get("/v1/instances").json().size()).isEqualTo(instances);

    String existing = aliyun.create(request("dup-name", UID_A, "single"));
    TestApp.Reply duplicate = app.post("/v1/instances", request("dup-name", UID_A, "single"));
    assertThat(duplicate.status()).isEqualTo(422);
    assertThat(duplicate.json().get("message").asText()).startsWith("name");
    aliyun.waitForStatus(existing, "RUNNING");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  static TestApp.Reply register(String uid, String cloudId, String name) {
    return app.post("/v1/instances/register", Map.of("engine", "aliyun", "aliyunUid", uid, "instanceId", cloudId, "name", name));
  }

  static JsonNode waitFor(String id, Duration timeout, java.util.function.Predicate<JsonNode> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = app.get("/v1/instances/" + id).json();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("instance " + id + " not as expected within " + timeout + ": " + last);
  }

  static JsonNode step(String id, String name) {
    for (JsonNode s : app.get("/v1/instances/" + id + "/steps").json().get("steps")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no step " + name);
  }

  /** Waits until the create step has recorded its cloud instance. */
  static String awaitCloudId(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      String cloudId = query("SELECT cloud_instance_id FROM instance_list WHERE ins_id = '" + id + "'");
      if (cloudId != null) {
        return cloudId;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no cloud instance recorded for " + id);
  }

  static String query(String sql) {
    return app.application().parts().db().jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).findOne())
        .orElse(null);
  }

  /** How often the meter was marked during this test. */
  static long meter(String name) {
    return Optional.ofNullable(app.metrics().getMeters().get(name)).map(m -> m.getCount()).orElse(0L)
        - meterBaseline.getOrDefault(name, 0L);
  }

  static long rdsCalls() {
    return SimulatedRds.ACTIONS.stream().mapToLong(a -> sim.stats().calls(a)).sum();
  }

  static Map<String, Object> with(String key, Object value) {
    Map<String, Object> m = request("bad-input", UID_A, "single");
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
    return m;
  }

  static void assertRejected(Map<String, Object> body, String field) {
    TestApp.Reply r = app.post("/v1/instances", body);
    assertThat(r.status()).as(body + " → " + r).isEqualTo(422);
    assertThat(r.json().get("message").asText()).as(r.toString()).startsWith(field);
  }
}

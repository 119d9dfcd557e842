package io.rdsflow.service;

import static io.rdsflow.service.AliyunTestSupport.request;
import static io.rdsflow.service.AliyunTestSupport.stepNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.rds20140815.models.DescribeBackupsRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.aliyun.OpenApiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and clones of aliyun instances through REST, against the RDS OpenAPI simulator driven by the real SDK: the
 * backup operation is the cloud's backup set (CreateBackup) recorded and listed like a local backup; a clone (POST
 * /v1/instances with source) is CloneDBInstance from that set or from a point in time (RestoreTime in UTC), with the
 * source's accounts and databases; a point in time outside the window is a 422 that creates nothing; a failing
 * CloneDBInstance fails the creation, and a clone whose later step fails is deleted again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AliyunBackupCloneTest {
  static final String UID = "1100000000000012";
  static final String AK = "LTAI5tAliyunBackupKey012";
  static final String SK = "AliyunBackupSecretOfAccount0123456";
  static final String PASSWORD = "Acc0unt-Passw0rd!";
  static final DateTimeFormatter RESTORE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @TempDir static Path dataDir;
  static OpenApiSimulator sim;
  static TestApp app;
  static AliyunTestSupport aliyun;
  static com.aliyun.rds20140815.Client rds;
  static String source;
  static String sourceCloud;
  /** rdsflow's id of the backup the first test takes, and the cloud's BackupId of its set. */
  static String backupId;
  static String backupSet;

  @BeforeAll
  static void start() throws Exception {
    sim = OpenApiSimulator.builder().account(UID, AK, SK).allDelays(Duration.ofMillis(100))
        .createDelay(Duration.ofMillis(300)).start();
    sim.rds().setBackupDelay(Duration.ofMillis(400));
    aliyun = AliyunTestSupport.startWithAccount(dataDir, "aliyunbackup", sim, UID, AK, SK);
    app = aliyun.app();
    rds = AliyunTestSupport.rdsClient(sim, AK, SK);
    Map<String, Object> body = request("bk-source", UID, "master-slave");
    body.put("whitelist", List.of("10.1.0.0/16"));
    body.put("accounts", List.of(Map.of("name", "app_rw", "password", PASSWORD,
        "privileges", List.of(Map.of("database", "orders", "privilege", "ReadWrite")))));
    body.put("databases", List.of(Map.of("name", "orders", "charset", "utf8mb4")));
    source = aliyun.create(body);
    aliyun.waitForStatus(source, "RUNNING");
    sourceCloud = aliyun.cloudId(source);
  }

  @AfterAll
  static void stop() {
    AliyunTestSupport.close(app, sim);
  }

  @BeforeEach
  void noFaults() {
    sim.faults().clear();
  }

  @Test
  @Order(1)
  void theBackupOperationTakesTheCloudsBackupSetAndListsIt() throws Exception {
    long calls = sim.stats().calls("CreateBackup");
    JsonNode done = aliyun.operate(source, Map.of("type", "backup"));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("progress").asText()).isEqualTo("2/2");
    assertThat(stepNames(done)).containsExactly("rdsflow_create_cloud_backup instance SUCCEEDED",
        "rdsflow_wait_cloud_backup instance SUCCEEDED");
    assertThat(sim.stats().calls("CreateBackup") - calls).isEqualTo(1);
    assertThat(sim.rds().effects(UID, sourceCloud)).containsEntry("CreateBackup", 1);

    JsonNode backups = app.get("/v1/instances/" + source + "/backups").json();
    assertThat(backups).hasSize(1);
    JsonNode b = backups.get(0);
    backupId = b.get("backupId").asText();
    assertThat(backupId).startsWith("bk-" + source);
    assertThat(b.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(b.get("kind").asText()).isEqualTo("full");
    assertThat(b.get("node").asText()).isEqualTo("instance");
    assertThat(b.get("method").asText()).isEqualTo("aliyun-physical");
    assertThat(b.get("sizeBytes").asLong()).isPositive();
    assertThat(b.get("finishedAt").isNull()).isFalse();
    backupSet = jdbi().withHandle(h -> h.createQuery("SELECT cloud_backup_id FROM backups WHERE backup_id = :b")
        .bind("b", backupId).mapTo(String.class).one());
    var sets = rds.describeBackups(new DescribeBackupsRequest().setDBInstanceId(sourceCloud)).getBody().getItems().getBackup();
    assertThat(sets).hasSize(1);
    assertThat(sets.get(0).getBackupId()).as("the row names the cloud's set").isEqualTo(backupSet);
    assertThat(sets.get(0).getBackupStatus()).isEqualTo("Success");
    assertThat(sets.get(0).getBackupSize()).isEqualTo(b.get("sizeBytes").asLong());
    assertThat(done.get("steps").get(1).get("message").asText()).contains(backupSet).contains(backupId);
  }

  @Test
  @Order(2)
  void aBackupJobTheCloudFailsIsRecordedFailed() {
    sim.rds().failNextBackups(1);
    JsonNode done = aliyun.operate(source, Map.of("type", "backup"));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("FAILED");
    assertThat(done.get("error").asText()).contains("rdsflow_wait_cloud_backup").contains("failed");
    JsonNode newest = app.get("/v1/instances/" + source + "/backups").json().get(0);
    assertThat(newest.get("status").asText()).isEqualTo("FAILED");
    assertThat(newest.get("error").asText()).contains("failed");
    assertThat(newest.get("backupId").asText()).isNotEqualTo(backupId);
  }

  @Test
  @Order(3)
  void aCloneOfTheBackupIsCloneDBInstanceWithItsBackupIdAndHoldsTheSourcesAccounts() throws Exception {
    long createCalls = sim.stats().calls("CreateDBInstance");
    long instances = sim.rds().instancesCreated();
    String clone = aliyun.create(cloneRequest("bk-clone-set", Map.of("instanceId", source, "backupId", backupId)));
    JsonNode view = aliyun.waitForStatus(clone, "RUNNING");
    assertThat(view.get("endpoints")).isNotEmpty();
    String cloneCloud = aliyun.cloudId(clone);
    assertThat(sim.rds().cloneOrigin(UID, cloneCloud))
        .isEqualTo(Map.of("SourceDBInstanceId", sourceCloud, "BackupId", backupSet));
    assertThat(sim.stats().calls("CreateDBInstance")).isEqualTo(createCalls);
    assertThat(sim.rds().instancesCreated()).isEqualTo(instances + 1);
    assertThat(sim.rds().effects(UID, cloneCloud)).containsEntry("CloneDBInstance", 1);

    Map<String, Object> cloud = sim.rds().instanceSnapshot(UID, cloneCloud).orElseThrow();
    assertThat(cloud.get("DBInstanceClass")).isEqualTo("mysql.n2.medium.2c");
    assertThat(cloud.get("DBInstanceStorage")).isEqualTo(100);
    assertThat(cloud.get("ZoneId")).isEqualTo("cn-hangzhou-i");
    assertThat(cloud.get("Category")).isEqualTo("HighAvailability");
    assertThat(map(cloud, "Accounts")).containsOnlyKeys("app_rw");
    assertThat(map(cloud, "Databases")).containsOnlyKeys("orders");
    assertThat(map(cloud, "SecurityIps")).containsEntry("default", List.of("10.1.0.0/16"));

    JsonNode steps = app.get("/v1/instances/" + clone + "/steps").json();
    assertThat(steps.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(step(steps, "do_create_single_tenant_ins_and_wait_finish").get("status").asText()).isEqualTo("SKIPPED");
    JsonNode cloned = step(steps, "rdsflow_clone_db_instance");
    assertThat(cloned.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(cloned.get("message").asText()).contains(sourceCloud).contains(backupSet).contains(cloneCloud);
    assertThat(step(steps, "do_create_accounts").get("message").asText()).as("restored, not created")
        .startsWith("0 account(s) created, 1 Available");
    assertThat(step(steps, "do_create_dbs").get("message").asText()).startsWith("0 database(s) created, 1 Running");
  }

  @Test
  @Order(4)
  void aCloneAtAPointInTimeSendsRestoreTimeInUtc() throws Exception {
    Thread.sleep(1100); // the point in time is after the backup set's finish (whole seconds)
    Instant t = Instant.now().minusMillis(300).truncatedTo(ChronoUnit.SECONDS);
    String pointInTime = OffsetDateTime.ofInstant(t, ZoneOffset.ofHours(8)).toString(); // 2026-12-01T03:15:00+08:00
    Map<String, Object> body = cloneRequest("bk-clone-pit", Map.of("instanceId", source, "pointInTime", pointInTime));
    body.put("topology", "single");
    body.put("instanceClass", "mysql.n2.large.2c");
    body.put("storageGb", 120);
    String clone = aliyun.create(body);
    aliyun.waitForStatus(clone, "RUNNING");
    String cloneCloud = aliyun.cloudId(clone);
    assertThat(sim.rds().cloneOrigin(UID, cloneCloud))
        .isEqualTo(Map.of("SourceDBInstanceId", sourceCloud, "RestoreTime", RESTORE_TIME.format(t)));
    Map<String, Object> cloud = sim.rds().instanceSnapshot(UID, cloneCloud).orElseThrow();
    assertThat(cloud.get("DBInstanceClass")).isEqualTo("mysql.n2.large.2c");
    assertThat(cloud.get("DBInstanceStorage")).isEqualTo(120);
    assertThat(cloud.get("Category")).isEqualTo("Basic");
    assertThat(map(cloud, "Accounts")).containsOnlyKeys("app_rw");
  }

  @Test
  @Order(5)
  void aPointInTimeOutsideTheWindowIsA422AndCreatesNothing() {
    long clones = sim.stats().calls("CloneDBInstance");
    long instances = sim.rds().instancesCreated();
    Instant backupStart = jdbi().withHandle(h -> h.createQuery("SELECT started_at FROM backups WHERE backup_id = :b")
        .bind("b", backupId).mapTo(java.sql.Timestamp.class).one()).toInstant();
    assertRefused("bk-before", Map.of("instanceId", source, "pointInTime", backupStart.minus(Duration.ofHours(1)).toString()),
        "source.pointInTime", "outside the recovery window of " + source);
    assertRefused("bk-future", Map.of("instanceId", source, "pointInTime", Instant.now().plus(Duration.ofHours(1)).toString()),
        "source.pointInTime", "outside the recovery window");
    assertRefused("bk-nobackup", Map.of("instanceId", source, "backupId", "bk-unknown"), "source.backupId", "no backup bk-unknown");
    String failed = app.get("/v1/instances/" + source + "/backups").json().get(0).get("backupId").asText();
    assertRefused("bk-failedset", Map.of("instanceId", source, "backupId", failed), "source.backupId", "is FAILED");
    assertThat(sim.stats().calls("CloneDBInstance")).isEqualTo(clones);
    assertThat(sim.rds().instancesCreated()).isEqualTo(instances);
    int rows = jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM instance_list WHERE ins_name LIKE 'bk-%' "
        + "AND ins_name NOT IN ('bk-source', 'bk-clone-set', 'bk-clone-pit')").mapTo(Integer.class).one());
    assertThat(rows).isZero();
  }

  @Test
  @Order(6)
  void aCloneDBInstanceTheCloudRefusesFailsTheCreationAndLeavesNothing() throws Exception {
    long instances = sim.rds().instancesCreated();
    sim.faults().failNext("CloneDBInstance", 1, "InvalidDBInstanceClass.Malformed", 400);
    String clone = aliyun.create(cloneRequest("bk-clone-refused", Map.of("instanceId", source, "backupId", backupId)));
    JsonNode view = aliyun.waitForStatus(clone, "FAILED");
    assertThat(view.get("error").asText()).contains("rdsflow_clone_db_instance").contains("InvalidDBInstanceClass.Malformed");
    assertThat(sim.rds().instancesCreated()).isEqualTo(instances);
    java.util.Optional<String> cloudInstance = jdbi().withHandle(h -> h.createQuery(
        "SELECT cloud_instance_id FROM instance_list WHERE ins_id = :i").bind("i", clone).mapTo(String.class).findOne());
    assertThat(cloudInstance).as("no cloud instance was made").isEmpty();
  }

  @Test
  @Order(7)
  void aCloneWhoseLaterStepFailsIsDeletedAgain() throws Exception {
    sim.faults().failNext("ModifySecurityIps", 1, "InvalidSecurityIPList.Malformed", 400);
    String clone = aliyun.create(cloneRequest("bk-clone-undone", Map.of("instanceId", source, "backupId", backupId)));
    JsonNode view = aliyun.waitForStatus(clone, "FAILED");
    assertThat(view.get("error").asText()).contains("do_flush_user_whitelist");
    String cloneCloud = aliyun.cloudId(clone);
    assertThat(sim.rds().cloneOrigin(UID, cloneCloud)).as("gone with its instance").isEmpty();
    assertThat(sim.rds().instanceStatus(UID, cloneCloud)).isEmpty();
    assertThat(sim.rds().instanceStatus(UID, sourceCloud)).contains("Running");

    // what is gone cannot be cloned: rdsflow refuses before the cloud is asked, and the cloud does not know it
    assertRefused("bk-of-failed", Map.of("instanceId", clone, "backupId", backupId), "source.instanceId",
        "Alibaba Cloud clones a running instance only");
    try {
      rds.cloneDBInstance(new com.aliyun.rds20140815.models.CloneDBInstanceRequest().setDBInstanceId(cloneCloud)
          .setPayType("Postpaid").setBackupId(backupSet));
      throw new AssertionError("a deleted instance was cloned");
    } catch (com.aliyun.tea.TeaException e) {
      assertThat(e.getCode()).isEqualTo("InvalidDBInstanceId.NotFound");
    }
  }

  @Test
  @Order(8)
  void aCloneWhoseAnswerWasLostIsMadeOnce() throws Exception {
    long instances = sim.rds().instancesCreated();
    sim.faults().failNextAfterApplying("CloneDBInstance", 1); // cloned in the cloud, answered 500
    String clone = aliyun.create(cloneRequest("bk-clone-lost", Map.of("instanceId", source, "backupId", backupId)));
    aliyun.waitForStatus(clone, "RUNNING");
    assertThat(sim.rds().instancesCreated()).isEqualTo(instances + 1);
    assertThat(sim.stats().lostAnswers("CloneDBInstance")).isEqualTo(1);
    assertThat(step(app.get("/v1/instances/" + clone + "/steps").json(), "rdsflow_clone_db_instance").get("message").asText())
        .contains("answer was lost");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  static Map<String, Object> cloneRequest(String name, Map<String, String> sourceSpec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("engine", "aliyun");
    m.put("source", sourceSpec);
    return m;
  }

  static void assertRefused(String name, Map<String, String> sourceSpec, String field, String why) {
    TestApp.Reply r = app.post("/v1/instances", cloneRequest(name, sourceSpec));
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.json().get("message").asText()).as(r.toString()).startsWith(field + ": ").contains(why);
  }

  static JsonNode step(JsonNode steps, String name) {
    for (JsonNode s : steps.get("steps")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no step " + name + " in " + steps);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> snapshot, String key) {
    return (Map<String, Object>) snapshot.get(key);
  }

  static org.jdbi.v3.core.Jdbi jdbi() {
    return app.application().parts().db().jdbi();
  }
}

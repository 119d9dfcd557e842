package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.testkit.aliyun.DasSession;
import io.rdsflow.testkit.aliyun.OpenApiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud instances of two Alibaba Cloud accounts collected through DAS in the simulator: their
 * sessions appear with the right aliyun_uid, and one account's wrong secret touches only its group.
 */
class DasCollectionTest {
  static final String UID_A = "1111222233334444";
  static final String UID_B = "5555666677778888";
  static final String AK_A = "LTAIdasAccountA0001";
  static final String SK_A = "dasSecretAccountA000000000000001";
  static final String AK_B = "LTAIdasAccountB0001";
  static final String SK_B = "dasSecretAccountB000000000000001";
  @TempDir static Path root;
  static OpenApiSimulator sim;
  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    sim = OpenApiSimulator.builder().account(UID_A, AK_A, SK_A).account(UID_B, AK_B, SK_B).start();
    sim.rds().registerInstance(UID_A, "rm-dasa00000000001");
    sim.rds().registerInstance(UID_B, "rm-dasb00000000001");
    sim.das().setSessions("rm-dasa00000000001", List.of(
        DasSession.of(1, "shop_app", "10.0.0.5", "shop", "Query", 7, "executing", "SELECT 1"),
        DasSession.sleeping(2, "shop_app", "10.0.0.6", "shop", 30),
        DasSession.sleeping(3, "report", "10.0.0.7", "bi", 5)));
    sim.das().setSessions("rm-dasb00000000001", List.of(DasSession.sleeping(4, "crm_app", "10.1.0.9", "crm", 12)));
    Map<String, String> config = TestApp.config(root, "das_collection");
    config.put("aliyun.rdsEndpoint", sim.endpoint());
    config.put("aliyun.dasEndpoint", sim.endpoint());
    config.put("aliyun.protocol", "HTTP");
    config.put("collection.dasPeriod", "2s");
    config.put("collection.dasPollInterval", "50ms");
    app = TestApp.start(config);
    for (String[] a : List.of(new String[] {UID_A, AK_A, SK_A}, new String[] {UID_B, AK_B, SK_B})) {
      TestApp.Reply r = app.post("/v1/accounts", Map.of("aliyunUid", a[0], "accessKeyId", a[1], "accessKeySecret", a[2],
          "regionId", "cn-shanghai"));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
    register(UID_A, "rm-dasa00000000001", "orders-db");
    register(UID_B, "rm-dasb00000000001", "crm-db");
  }

  static void register(String uid, String instanceId, String name) {
    TestApp.Reply r = app.post("/v1/instances/register", Map.of("engine", "aliyun", "aliyunUid", uid, "instanceId", instanceId,
        "name", name));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    sim.stop();
  }

  @Test
  void sessionsOfBothAccountsCarryTheirAliyunUid() throws Exception {
    Metrics m = CollectionTestSupport.scrapeUntil(app, x -> x.value("rds_sessions_by_user",
        Map.of("instance_id", "rm-dasa00000000001", "user", "shop_app")).orElse(-1) == 2
        && x.value("rds_sessions_by_user", Map.of("instance_id", "rm-dasb00000000001", "user", "crm_app")).orElse(-1) == 1,
        Duration.ofSeconds(40));
    Map<String, String> a = Map.of("instance_id", "rm-dasa00000000001");
    assertThat(m.find("rds_up", a).get(0).labels()).containsEntry("aliyun_uid", UID_A).containsEntry("engine", "aliyun")
        .containsEntry("instance_name", "orders-db");
    assertThat(m.find("rds_up", Map.of("instance_id", "rm-dasb00000000001")).get(0).labels()).containsEntry("aliyun_uid", UID_B);
    assertThat(m.value("rds_sessions", Map.of("instance_id", "rm-dasa00000000001", "state", "total")).orElse(-1)).isEqualTo(3);
    assertThat(m.value("rds_sessions", Map.of("instance_id", "rm-dasa00000000001", "state", "active")).orElse(-1)).isEqualTo(1);
    assertThat(m.value("rds_sessions_by_client", Map.of("instance_id", "rm-dasa00000000001", "client", "10.0.0.7")).orElse(-1))
        .isEqualTo(1);
    assertThat(m.value("rds_sessions_by_db", Map.of("instance_id", "rm-dasa00000000001", "db", "bi")).orElse(-1)).isEqualTo(1);
    assertThat(m.value("rds_session_max_active_seconds", a).orElse(-1)).isEqualTo(7);
    assertThat(m.find("rdsflow_cloud_api_requests_total", Map.of("api", "GetMySQLAllSessionAsync", "code", "200"))).hasSize(1);
    assertThat(sim.stats().throttled()).as("the limiter keeps DAS under its limit").isZero();
  }

  @Test
  void oneAccountsBadSecretDoesNotTouchTheOther() throws Exception {
    CollectionTestSupport.scrapeUntil(app, x -> x.value("rds_up", Map.of("instance_id", "rm-dasb00000000001")).orElse(-1) == 1,
        Duration.ofSeconds(40));
    TestApp.Reply rotated = app.put("/v1/accounts/" + UID_B + "/credentials",
        Map.of("accessKeyId", AK_B, "accessKeySecret", "wrongSecretForAccountB0000000001"));
    assertThat(rotated.status()).isEqualTo(200);
    Metrics m = CollectionTestSupport.scrapeUntil(app,
        x -> x.value("rds_up", Map.of("instance_id", "rm-dasb00000000001")).orElse(-1) == 0, Duration.ofSeconds(40));
    assertThat(m.value("rds_up", Map.of("instance_id", "rm-dasa00000000001")).orElse(-1)).isEqualTo(1);
    assertThat(app.get("/v1/collections").body()).contains("SignatureDoesNotMatch");
    app.put("/v1/accounts/" + UID_B + "/credentials", Map.of("accessKeyId", AK_B, "accessKeySecret", SK_B));
    CollectionTestSupport.scrapeUntil(app, x -> x.value("rds_up", Map.of("instance_id", "rm-dasb00000000001")).orElse(-1) == 1,
        Duration.ofSeconds(40));
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.teaopenapi.models.Config;
import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.aliyun.OpenApiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the aliyun engine tests share, so that each reads as what it proves: a service pointed at the RDS
 * OpenAPI simulator, an account registered through REST, the SDK client a test checks the cloud with, and,
 * bound to one service, creating an instance, waiting for its status and running an operation on it.
 */
final class AliyunTestSupport {
  private final TestApp app;
  private final Duration instanceWait;

  /** Helpers on {@code app}; an instance that has not reached a status after {@code instanceWait} fails the test. */
  AliyunTestSupport(TestApp app, Duration instanceWait) {
    this.app = app;
    this.instanceWait = instanceWait;
  }

  /**
   * Overrides for a service on its own schema whose RDS and DAS endpoint is the simulator (plain HTTP), polling
   * every 100 ms and retrying from 50 to 400 ms within 10 s a call, so that a test waits for the cloud briefly.
   */
  static Map<String, String> config(Path dataDir, String schemaPrefix, OpenApiSimulator sim) {
    Map<String, String> config = TestApp.config(dataDir, schemaPrefix);
    config.put("aliyun.rdsEndpoint", sim.endpoint());
    config.put("aliyun.dasEndpoint", sim.endpoint());
    config.put("aliyun.protocol", "HTTP");
    config.put("aliyun.pollInterval", "100ms");
    config.put("aliyun.retryInitialBackoff", "50ms");
    config.put("aliyun.retryMaxBackoff", "400ms");
    config.put("aliyun.callBudget", "10s");
    return config;
  }

  /**
   * A service on the simulator ({@link #config}) with collection off, as the tests that count the cloud's calls want it,
   * and the account registered; its helpers wait up to 60 s for an instance. Closed again when the registration fails.
   */
  static AliyunTestSupport startWithAccount(Path dataDir, String schemaPrefix, OpenApiSimulator sim, String uid,
      String accessKeyId, String secret) throws Exception {
    Map<String, String> config = config(dataDir, schemaPrefix, sim);
    config.put("collection.enabled", "false");
    AliyunTestSupport aliyun = new AliyunTestSupport(TestApp.start(config), Duration.ofSeconds(60));
    try {
      aliyun.registerAccount(uid, accessKeyId, secret);
    } catch (RuntimeException | Error e) {
      aliyun.app.close();
      throw e;
    }
    return aliyun;
  }

  /** The real SDK on the simulator, signing with the key pair: what a test checks the cloud with, as a console would. */
  static com.aliyun.rds20140815.Client rdsClient(OpenApiSimulator sim, String accessKeyId, String secret) throws Exception {
    return new com.aliyun.rds20140815.Client(new Config().setAccessKeyId(accessKeyId).setAccessKeySecret(secret)
        .setEndpoint(sim.endpoint()).setProtocol("HTTP"));
  }

  /** A creation request with the fields every aliyun instance needs: MySQL 8.0, cn-hangzhou-i, mysql.n2.medium.2c, 100 GB. */
  static Map<String, Object> request(String name, String uid, String topology) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("engine", "aliyun");
    m.put("engineVersion", "8.0");
    m.put("topology", topology);
    m.put("aliyunUid", uid);
    m.put("regionId", "cn-hangzhou");
    m.put("zoneId", "cn-hangzhou-i");
    m.put("instanceClass", "mysql.n2.medium.2c");
    m.put("storageGb", 100);
    return m;
  }

  /** Each step of an operation as {@code "name node status"}, in order. */
  static List<String> stepNames(JsonNode operation) {
    List<String> out = new ArrayList<>();
    operation.get("steps").forEach(s -> out.add(s.get("name").asText() + " " + s.get("node").asText() + " "
        + s.get("status").asText()));
    return out;
  }

  /** Closes the service, then the simulator; either may be null when the start failed. */
  static void close(TestApp app, OpenApiSimulator sim) {
    if (app != null) {
      app.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  /** The service the helpers work on. */
  TestApp app() {
    return app;
  }

  /** Registers the account through POST /v1/accounts (region cn-hangzhou) and asserts it was created. */
  void registerAccount(String uid, String accessKeyId, String secret) {
    TestApp.Reply r = app.post("/v1/accounts", Map.of("aliyunUid", uid, "accessKeyId", accessKeyId,
        "accessKeySecret", secret, "regionId", "cn-hangzhou"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  /** POST /v1/instances, asserting it was accepted; the new instance's id. */
  String create(Map<String, Object> body) {
    TestApp.Reply r = app.post("/v1/instances", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("instanceId").asText();
  }

  /** The instance's view once it has {@code status}; failing with its view and steps when it has not in time. */
  JsonNode waitForStatus(String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + instanceWait.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = app.get("/v1/instances/" + id).json();
      if (last.get("status").asText().equals(status)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("instance " + id + " not " + status + ": " + last + "\n"
        + app.get("/v1/instances/" + id + "/steps").body());
  }

  /** The cloud instance rdsflow recorded for the instance, asserted to be an RDS id. */
  String cloudId(String id) {
    String cloudId = app.application().parts().db().jdbi().withHandle(h -> h.createQuery(
        "SELECT cloud_instance_id FROM instance_list WHERE ins_id = :i").bind("i", id).mapTo(String.class).findOne()).orElse(null);
    assertThat(cloudId).as("cloud instance of " + id).startsWith("rm-");
    return cloudId;
  }

  /** Starts the operation (asserting it was accepted) and returns it once it is no longer RUNNING (60 s at most). */
  JsonNode operate(String instanceId, Map<String, ?> body) {
    TestApp.Reply accepted = app.post("/v1/instances/" + instanceId + "/operations", body);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    return OperationsApi.waitFor(app, accepted.json().get("operationId").asText(), Duration.ofSeconds(60));
  }

  /** The operation is refused with a 422 whose message names {@code field} and says {@code why}. */
  void assertOperationRefused(String instanceId, Map<String, Object> body, String field, String why) {
    TestApp.Reply r = app.post("/v1/instances/" + instanceId + "/operations", body);
    assertThat(r.status()).as(body + " → " + r).isEqualTo(422);
    assertThat(r.json().get("message").asText()).as(r.toString()).startsWith(field + ": ").contains(why);
  }
}

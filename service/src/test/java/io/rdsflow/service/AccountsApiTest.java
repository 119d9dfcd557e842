package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /v1/accounts calls through HTTP on the whole application, and where the secret may not go. */
class AccountsApiTest {
  private static final String SECRET = "TopSecretValue0123456789abcdef";
  @TempDir static Path dataDir;
  static TestApp app;
  static Map<String, String> config;

  @BeforeAll
  static void start() throws Exception {
    config = TestApp.config(dataDir, "accounts");
    app = TestApp.start(config);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static Map<String, Object> account(String uid) {
    return Map.of("aliyunUid", uid, "accessKeyId", "LTAI5tTestKeyId" + uid.substring(uid.length() - 4),
        "accessKeySecret", SECRET, "regionId", "cn-shanghai", "name", "acct-" + uid);
  }

  @Test
  void createListGetRotateDelete() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      TestApp.Reply created = app.post("/v1/accounts", account("1000000000000001"));
      assertThat(created.status()).isEqualTo(201);
      assertThat(created.json().get("aliyunUid").asText()).isEqualTo("1000000000000001");
      assertThat(created.json().get("regionId").asText()).isEqualTo("cn-shanghai");
      assertThat(created.json().has("accessKeySecret")).isFalse();

      assertThat(app.get("/v1/accounts").json().findValuesAsText("aliyunUid")).contains("1000000000000001");
      TestApp.Reply one = app.get("/v1/accounts/1000000000000001");
      assertThat(one.status()).isEqualTo(200);
      assertThat(one.json().get("name").asText()).isEqualTo("acct-1000000000000001");

      String newSecret = "RotatedSecretValue0123456789xyz";
      TestApp.Reply rotated = app.put("/v1/accounts/1000000000000001/credentials",
          Map.of("accessKeyId", "LTAI5tRotatedKey0001", "accessKeySecret", newSecret));
      assertThat(rotated.status()).isEqualTo(200);
      assertThat(rotated.json().get("accessKeyId").asText()).isEqualTo("LTAI****0001");
      String stored = storedSecret("1000000000000001");
      assertThat(app.application().parts().cipher().decrypt(stored)).isEqualTo(newSecret);

      assertThat(app.delete("/v1/accounts/1000000000000001").status()).isEqualTo(204);
      assertThat(app.get("/v1/accounts/1000000000000001").status()).isEqualTo(404);

      assertThat(logs.size()).isGreaterThan(0);
      assertThat(logs.all()).doesNotContain(SECRET).doesNotContain(newSecret);
      assertThat(created.body() + one.body() + rotated.body()).doesNotContain(SECRET).doesNotContain(newSecret);
    }
  }

  @Test
  void secretIsStoredEncrypted() throws Exception {
    assertThat(app.post("/v1/accounts", account("1000000000000002")).status()).isEqualTo(201);
    String stored = storedSecret("1000000000000002");
    assertThat(stored).startsWith("v1:").doesNotContain(SECRET);
    assertThat(app.application().parts().cipher().decrypt(stored)).isEqualTo(SECRET);
    try (Connection c = DriverManager.getConnection(config.get("database.url"), config.get("database.user"),
        config.get("database.password")); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM aliyun_accounts")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          assertThat(String.valueOf(rs.getString(i))).doesNotContain(SECRET);
        }
      }
    }
  }

  @Test
  void badInputNamesTheFieldAndStoresNothing() {
    int before = app.get("/v1/accounts").json().size();
    assertRejected(app.post("/v1/accounts", Map.of("aliyunUid", "12ab", "accessKeyId", "LTAI5tTestKeyId0001",
        "accessKeySecret", SECRET, "regionId", "cn-shanghai")), 422, "aliyunUid");
    assertRejected(app.post("/v1/accounts", Map.of("aliyunUid", "1000000000000003", "accessKeyId", "bad key!",
        "accessKeySecret", SECRET, "regionId", "cn-shanghai")), 422, "accessKeyId");
    assertRejected(app.post("/v1/accounts", Map.of("aliyunUid", "1000000000000003", "accessKeyId", "LTAI5tTestKeyId0001",
        "accessKeySecret", "short", "regionId", "cn-shanghai")), 422, "accessKeySecret");
    assertRejected(app.post("/v1/accounts", Map.of("aliyunUid", "1000000000000003", "accessKeyId", "LTAI5tTestKeyId0001",
        "accessKeySecret", SECRET, "regionId", "Shanghai!")), 422, "regionId");
    assertRejected(app.post("/v1/accounts", Map.of("aliyunUid", "1000000000000003", "accessKeyId", "LTAI5tTestKeyId0001",
        "accessKeySecret", SECRET)), 422, "regionId");
    assertRejected(app.post("/v1/accounts", Map.of("aliyunUid", "1000000000000003", "accessKeyId", "LTAI5tTestKeyId0001",
        "accessKeySecret", SECRET, "regionId", "cn-shanghai", "name", "x".repeat(65))), 422, "name");
    assertRejected(app.post("/v1/accounts", Map.of("aliyunUid", "1000000000000003", "color", "blue")), 422, "color");
    assertRejected(app.post("/v1/accounts", "{\"aliyunUid\": "), 400, "JSON");
    assertRejected(app.delete("/v1/accounts/1999999999999999"), 404, "1999999999999999");
    assertThat(app.get("/v1/accounts").json().size()).isEqualTo(before);

    assertThat(app.post("/v1/accounts", account("1000000000000004")).status()).isEqualTo(201);
    assertRejected(app.post("/v1/accounts", account("1000000000000004")), 409, "aliyunUid");
    assertThat(app.get("/v1/accounts").json().size()).isEqualTo(before + 1);
  }

  @Test
  void credentialsAndRolesAreEnforced() {
    assertRejected(app.send("GET", "/v1/accounts", null, null, null), 401, "credentials");
    assertRejected(app.send("GET", "/v1/accounts", null, "wrong", "admin"), 401, "password");
    assertThat(app.send("GET", "/v1/accounts", null, TestApp.VIEWER_PASSWORD, "viewer").status()).isEqualTo(200);
    assertRejected(app.send("POST", "/v1/accounts", account("1000000000000005"), TestApp.VIEWER_PASSWORD, "viewer"),
        403, "role");
    assertThat(app.get("/v1/accounts/1000000000000005").status()).isEqualTo(404);
  }

  private static void assertRejected(TestApp.Reply r, int status, String mentioned) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.json().get("code").asText()).isNotBlank();
    assertThat(r.json().get("message").asText()).contains(mentioned);
  }

  private static String storedSecret(String uid) throws Exception {
    try (Connection c = DriverManager.getConnection(config.get("database.url"), config.get("database.user"),
        config.get("database.password")); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT access_key_secret_encrypted FROM aliyun_accounts WHERE aliyun_uid='" + uid + "'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}

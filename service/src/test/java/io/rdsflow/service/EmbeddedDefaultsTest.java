package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rdsflow.service.crypto.EncryptionKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on embedded defaults: its own metadata database process under dataDir, embedded
 * Temporal; data survives a restart; a wrong encryption password refuses to start and changes nothing.
 */
class EmbeddedDefaultsTest {
  @TempDir Path dataDir;

  @Test
  void embeddedDatabaseKeepsDataAcrossRestartsAndRefusesAWrongKey() throws Exception {
    Map<String, String> config = TestApp.embeddedDatabaseConfig(dataDir);
    long metadbPid;
    try (TestApp app = TestApp.start(config)) {
      assertThat(app.get("/healthz").status()).isEqualTo(200);
      assertThat(app.get("/healthz").json().get("checks").get("metadb").asText()).isEqualTo("ok");
      assertThat(app.post("/v1/accounts", AccountsApiTest.account("2000000000000001")).status()).isEqualTo(201);
      metadbPid = Long.parseLong(Files.readString(dataDir.resolve("metadb/run/mysqld.pid")).trim());
      assertThat(ProcessHandle.of(metadbPid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(Files.readString(dataDir.resolve("metadb/my.cnf"))).contains("bind-address=127.0.0.1");
    }
    assertThat(ProcessHandle.of(metadbPid).map(ProcessHandle::isAlive).orElse(false))
        .as("the embedded database stops with the service").isFalse();

    Map<String, String> wrongKey = new java.util.LinkedHashMap<>(config);
    wrongKey.put("security.encryptionPassword", "not-the-password-it-was-written-with");
    assertThatThrownBy(() -> TestApp.start(wrongKey))
        .isInstanceOf(EncryptionKeys.WrongPasswordException.class)
        .hasMessageContaining("ENCRYPTION_PASSWORD does not match");

    try (TestApp again = TestApp.start(config)) {
      TestApp.Reply account = again.get("/v1/accounts/2000000000000001");
      assertThat(account.status()).isEqualTo(200);
      String stored = again.application().parts().db().jdbi().withHandle(h -> h.createQuery(
          "SELECT access_key_secret_encrypted FROM aliyun_accounts WHERE aliyun_uid='2000000000000001'")
          .mapTo(String.class).one());
      assertThat(again.application().parts().cipher().decrypt(stored)).isEqualTo("TopSecretValue0123456789abcdef");

      // rekey: every secret re-encrypted under a new password, in one transaction
      var settings = new io.rdsflow.activities.meta.SettingsDao(again.application().parts().db().jdbi());
      byte[] salt = java.util.Base64.getDecoder().decode(settings.get("kdf_salt").orElseThrow());
      var newCipher = io.rdsflow.activities.crypto.SecretCipher.fromPassword("the-new-password".toCharArray(), salt);
      assertThat(io.rdsflow.service.crypto.Rekey.run(again.application().parts().db().jdbi(),
          again.application().parts().cipher(), newCipher)).isEqualTo(1);
    }
    assertThatThrownBy(() -> TestApp.start(config)).isInstanceOf(EncryptionKeys.WrongPasswordException.class);
    Map<String, String> rekeyed = new java.util.LinkedHashMap<>(config);
    rekeyed.put("security.encryptionPassword", "the-new-password");
    try (TestApp after = TestApp.start(rekeyed)) {
      String stored = after.application().parts().db().jdbi().withHandle(h -> h.createQuery(
          "SELECT access_key_secret_encrypted FROM aliyun_accounts WHERE aliyun_uid='2000000000000001'")
          .mapTo(String.class).one());
      assertThat(after.application().parts().cipher().decrypt(stored)).isEqualTo("TopSecretValue0123456789abcdef");
    }
  }
}

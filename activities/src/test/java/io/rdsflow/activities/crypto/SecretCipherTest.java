package io.rdsflow.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
  private final byte[] salt = SecretCipher.randomBytes(16);
  private final SecretCipher cipher = SecretCipher.fromPassword("correct horse".toCharArray(), salt);

  @Test
  void roundTripsAndNeverRepeatsACiphertext() {
    String a = cipher.encrypt("s3cret-value");
    String b = cipher.encrypt("s3cret-value");
    assertThat(a).isNotEqualTo(b).startsWith("v1:").doesNotContain("s3cret");
    assertThat(cipher.decrypt(a)).isEqualTo("s3cret-value");
    assertThat(cipher.decrypt(b)).isEqualTo("s3cret-value");
  }

  @Test
  void aWrongPasswordOrSaltCannotDecrypt() {
    String sealed = cipher.encrypt("s3cret-value");
    assertThatThrownBy(() -> SecretCipher.fromPassword("wrong".toCharArray(), salt).decrypt(sealed))
        .isInstanceOf(SecretCipher.WrongKeyException.class);
    assertThatThrownBy(() -> SecretCipher.fromPassword("correct horse".toCharArray(), SecretCipher.randomBytes(16))
        .decrypt(sealed)).isInstanceOf(SecretCipher.WrongKeyException.class);
  }

  @Test
  void aTamperedValueIsRejected() {
    byte[] raw = Base64.getDecoder().decode(cipher.encrypt("s3cret-value").substring(3));
    raw[raw.length - 1] ^= 1;
    assertThatThrownBy(() -> cipher.decrypt("v1:" + Base64.getEncoder().encodeToString(raw)))
        .isInstanceOf(SecretCipher.WrongKeyException.class);
    assertThatThrownBy(() -> cipher.decrypt("plain")).isInstanceOf(SecretCipher.WrongKeyException.class);
  }
}

package io.rdsflow.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The API users' password hashes (PBKDF2, salted). */
class PasswordHasherTest {
  @Test
  void passwordHashesVerifyOnlyTheirPassword() {
    String h = PasswordHasher.hash("pw-1");
    assertThat(h).doesNotContain("pw-1");
    assertThat(PasswordHasher.matches("pw-1", h)).isTrue();
    assertThat(PasswordHasher.matches("pw-2", h)).isFalse();
    assertThat(PasswordHasher.hash("pw-1")).isNotEqualTo(h);
  }
}

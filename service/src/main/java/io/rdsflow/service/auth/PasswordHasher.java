package io.rdsflow.service.auth;

import io.rdsflow.activities.crypto.SecretCipher;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** PBKDF2 hashes for the API users' passwords: {@code pbkdf2$<iterations>$<salt>$<hash>}. */
public final class PasswordHasher {
  private static final int ITERATIONS = 120_000;

  private PasswordHasher() {}

  public static String hash(String password) {
    byte[] salt = SecretCipher.randomBytes(16);
    return "pbkdf2$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(password, salt, ITERATIONS));
  }

  /**
   * A stored hash that no password opens, as costly to check as a real one: checked in place of a user
   * that does not exist, so that an unknown name takes as long to refuse as a wrong password. Its salt
   * and its 256-bit value are random bytes, not derived from anything: the cost of {@link #matches}
   * is the PBKDF2 of the offered password with the same iterations, and making the decoy costs nothing at
   * the start (it used to be a hash of a random password: 120,000 iterations on the start's critical path).
   */
  public static String decoy() {
    return "pbkdf2$" + ITERATIONS + "$" + b64(SecretCipher.randomBytes(16)) + "$" + b64(SecretCipher.randomBytes(32));
  }

  public static boolean matches(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals("pbkdf2")) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().withoutPadding().encodeToString(b);
  }
}

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
   * The hash of a random password nobody knows, as costly to check as a real one: checked in place
   * of a user that does not exist, so that an unknown name takes as long to refuse as a wrong password.
   */
  public static String decoy() {
    return hash(b64(SecretCipher.randomBytes(24)));
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

package io.rdsflow.service.crypto;

import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.SettingsDao;
import java.util.Base64;
import java.util.Optional;

/**
 * Opens the installation's {@link SecretCipher}: the KDF salt and a key check live in the
 * {@code settings} table. A password that does not open the key check is refused before any
 * data is read or written.
 */
public final class EncryptionKeys {
  static final String SALT = "kdf_salt";
  static final String CHECK = "key_check";
  private static final String CHECK_PLAINTEXT = "rdsflow-key-check-v1";

  private EncryptionKeys() {}

  /** Thrown when the password does not match the one the data was written with. */
  public static final class WrongPasswordException extends RuntimeException {
    public WrongPasswordException(String message) {
      super(message);
    }
  }

  public static SecretCipher open(SettingsDao settings, char[] password) {
    byte[] salt = Base64.getDecoder().decode(
        settings.putIfAbsent(SALT, Base64.getEncoder().encodeToString(SecretCipher.randomBytes(16))));
    SecretCipher cipher = SecretCipher.fromPassword(password, salt);
    Optional<String> check = settings.get(CHECK);
    if (check.isEmpty()) {
      String stored = settings.putIfAbsent(CHECK, cipher.encrypt(CHECK_PLAINTEXT));
      verify(cipher, stored);
    } else {
      verify(cipher, check.get());
    }
    return cipher;
  }

  private static void verify(SecretCipher cipher, String stored) {
    try {
      if (!cipher.decrypt(stored).equals(CHECK_PLAINTEXT)) {
        throw new SecretCipher.WrongKeyException("key check mismatch");
      }
    } catch (SecretCipher.WrongKeyException e) {
      throw new WrongPasswordException("ENCRYPTION_PASSWORD does not match the one this metadata database was "
          + "written with; start with the original password (or run the 'rekey' command with it). No data was changed.");
    }
  }

  /** Re-encrypts the key check under a new cipher; the caller re-encrypts every secret in the same transaction. */
  public static String newKeyCheck(SecretCipher cipher) {
    return cipher.encrypt(CHECK_PLAINTEXT);
  }

}

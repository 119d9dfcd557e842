package io.rdsflow.activities.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets at rest (AccessKey secrets, instance passwords).
 *
 * <p>A master key is derived once from the encryption password with PBKDF2 (the salt is stored in
 * the metadata database). Every value gets its own random 16-byte salt, from which a per-value key
 * is derived (HMAC-SHA256 of the master key), and its own 12-byte nonce; the tag is 128 bits.
 * Stored form: {@code v1:} + base64(salt | nonce | ciphertext+tag).
 */
public final class SecretCipher {
  private static final String PREFIX = "v1:";
  private static final int SALT_BYTES = 16;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int PBKDF2_ITERATIONS = 210_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] masterKey;

  private SecretCipher(byte[] masterKey) {
    this.masterKey = masterKey;
  }

  /** Derives the master key from a password and the installation's KDF salt. */
  public static SecretCipher fromPassword(char[] password, byte[] kdfSalt) {
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException("the encryption password is empty");
    }
    try {
      SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      byte[] key = factory.generateSecret(new PBEKeySpec(password, kdfSalt, PBKDF2_ITERATIONS, 256)).getEncoded();
      return new SecretCipher(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive the encryption key: " + e.getMessage(), e);
    }
  }

  public static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  public String encrypt(String plaintext) {
    byte[] salt = randomBytes(SALT_BYTES);
    byte[] nonce = randomBytes(NONCE_BYTES);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, valueKey(salt), new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(SALT_BYTES + NONCE_BYTES + sealed.length);
      out.put(salt).put(nonce).put(sealed);
      return PREFIX + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  /** Decrypts a stored value; a wrong key or a tampered value is a {@link WrongKeyException}. */
  public String decrypt(String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      throw new WrongKeyException("stored value is not in the v1 format");
    }
    byte[] all;
    try {
      all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new WrongKeyException("stored value is not valid base64");
    }
    if (all.length < SALT_BYTES + NONCE_BYTES + TAG_BITS / 8) {
      throw new WrongKeyException("stored value is truncated");
    }
    ByteBuffer in = ByteBuffer.wrap(all);
    byte[] salt = new byte[SALT_BYTES];
    byte[] nonce = new byte[NONCE_BYTES];
    in.get(salt).get(nonce);
    byte[] sealed = new byte[in.remaining()];
    in.get(sealed);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, valueKey(salt), new GCMParameterSpec(TAG_BITS, nonce));
      return new String(cipher.doFinal(sealed), StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new WrongKeyException("decryption failed: wrong encryption password or tampered value");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("decryption failed", e);
    }
  }

  private SecretKeySpec valueKey(byte[] salt) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
    return new SecretKeySpec(mac.doFinal(salt), "AES");
  }

  /** The key does not open the value: a wrong password, or data written under another key. */
  public static final class WrongKeyException extends RuntimeException {
    public WrongKeyException(String message) {
      super(message);
    }
  }
}

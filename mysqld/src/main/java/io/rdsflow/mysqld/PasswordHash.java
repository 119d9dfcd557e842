package io.rdsflow.mysqld;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passwords reach a server only as their {@code mysql_native_password} hash, computed here, so no
 * statement the server logs (binlog, relay log, general or slow log) carries a password.
 */
public final class PasswordHash {
  private PasswordHash() {}

  /** {@code '*' + upper(hex(sha1(sha1(password))))}: what MariaDB's and MySQL's {@code PASSWORD()} return. */
  public static String nativeHash(String password) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
      return "*" + HexFormat.of().withUpperCase().formatHex(sha1.digest(once));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The clause for CREATE/ALTER USER; MariaDB and MySQL 5.7/8.0 both accept it. */
  public static String identifiedBy(String password) {
    return "IDENTIFIED WITH mysql_native_password AS " + Sql.literal(nativeHash(password));
  }
}

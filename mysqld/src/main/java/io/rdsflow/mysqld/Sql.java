package io.rdsflow.mysqld;

/** Quoting for the few statements (CREATE USER, GRANT) that cannot take bind parameters. */
public final class Sql {
  private Sql() {}

  /** A string literal; backslashes and quotes escaped. */
  public static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A backquoted identifier. */
  public static String ident(String s) {
    return "`" + s.replace("`", "``") + "`";
  }

  public static String account(String user, String host) {
    return literal(user) + "@" + literal(host);
  }
}

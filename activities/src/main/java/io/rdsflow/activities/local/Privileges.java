package io.rdsflow.activities.local;

/** What the API's privilege names grant on a database. */
public final class Privileges {
  private Privileges() {}

  public static String grants(String privilege) {
    return switch (privilege) {
      case "ReadWrite" -> "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, CREATE TEMPORARY TABLES, "
          + "LOCK TABLES, EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, TRIGGER, REFERENCES";
      case "ReadOnly" -> "SELECT, LOCK TABLES, SHOW VIEW, EXECUTE";
      default -> throw new IllegalArgumentException("unknown privilege " + privilege);
    };
  }
}

package io.rdsflow.service.auth;

/** The API's roles: {@code admin} changes, {@code viewer} reads. */
public final class Roles {
  public static final String ADMIN = "admin";
  public static final String VIEWER = "viewer";

  private Roles() {}

  /** Whether a user of role {@code role} may do what needs {@code wanted}: admin may everything viewer may. */
  public static boolean has(String role, String wanted) {
    return role != null && (role.equals(wanted) || (ADMIN.equals(role) && VIEWER.equals(wanted)));
  }
}

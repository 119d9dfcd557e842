package io.rdsflow.service.auth;

/** The API's roles: {@code admin} changes, {@code viewer} reads. */
public final class Roles {
  public static final String ADMIN = "admin";
  public static final String VIEWER = "viewer";

  private Roles() {}
}

package io.rdsflow.service.auth;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** API users of the REST interface; only password hashes are stored. */
public final class ApiUserDao {
  public record ApiUser(String username, String role, String passwordHash) {}

  private final Jdbi jdbi;

  public ApiUserDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * The user of exactly this name. The column's collation is case-, accent- and trailing-space-
   * insensitive ({@code Admin}, {@code ádmin} and {@code "admin  "} all find {@code admin}), so the
   * name found is compared again here, character by character.
   */
  public Optional<ApiUser> find(String username) {
    if (username == null || username.isEmpty()) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT username, role, password_hash FROM api_users WHERE username = :u")
        .bind("u", username)
        .map((rs, ctx) -> new ApiUser(rs.getString(1), rs.getString(2), rs.getString(3)))
        .list())
        .stream()
        .filter(u -> u.username().equals(username))
        .findFirst();
  }

  /** Creates the user; false when it exists already. */
  public boolean insertIfAbsent(String username, String role, String passwordHash) {
    return jdbi.withHandle(h -> h.createUpdate(
            "INSERT IGNORE INTO api_users(username, role, password_hash) VALUES (:u, :r, :p)")
        .bind("u", username).bind("r", role).bind("p", passwordHash).execute()) == 1;
  }

  public void upsert(String username, String role, String passwordHash) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_users(username, role, password_hash) VALUES (:u, :r, :p) "
            + "ON DUPLICATE KEY UPDATE role = VALUES(role), password_hash = VALUES(password_hash)")
        .bind("u", username).bind("r", role).bind("p", passwordHash).execute());
  }
}

package io.rdsflow.service.auth;

import io.rdsflow.activities.crypto.PasswordHasher;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.ApiUserDao;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks API credentials against the stored hashes. A verified (user, password) pair is remembered
 * for a minute, keyed by a digest, so that PBKDF2 does not run on every request.
 */
public final class ApiUsers {
  private static final long CACHE_MILLIS = 60_000;

  private record Verified(String role, long until) {}

  private final ApiUserDao dao;
  private final Map<String, Verified> cache = new ConcurrentHashMap<>();

  public ApiUsers(ApiUserDao dao) {
    this.dao = dao;
  }

  /**
   * Makes sure {@code admin} exists. With a configured password it is (re)set to it; without one a
   * password is generated on the first start only.
   *
   * @return the generated password, to be shown once, or empty
   */
  public Optional<String> bootstrap(String adminPassword, String viewerPassword) {
    Optional<String> generated = Optional.empty();
    if (adminPassword != null) {
      dao.upsert(Roles.ADMIN, Roles.ADMIN, PasswordHasher.hash(adminPassword));
    } else {
      String password = HexFormat.of().formatHex(SecretCipher.randomBytes(12));
      if (dao.insertIfAbsent(Roles.ADMIN, Roles.ADMIN, PasswordHasher.hash(password))) {
        generated = Optional.of(password);
      }
    }
    if (viewerPassword != null) {
      dao.upsert(Roles.VIEWER, Roles.VIEWER, PasswordHasher.hash(viewerPassword));
    }
    cache.clear();
    return generated;
  }

  /** The user's role when the password is right. */
  public Optional<String> authenticate(String username, String password) {
    String key = digest(username + "\0" + password);
    Verified v = cache.get(key);
    long now = System.currentTimeMillis();
    if (v != null && v.until() > now) {
      return Optional.of(v.role());
    }
    Optional<String> role = dao.find(username)
        .filter(u -> PasswordHasher.matches(password, u.passwordHash()))
        .map(ApiUserDao.ApiUser::role);
    role.ifPresent(r -> cache.put(key, new Verified(r, now + CACHE_MILLIS)));
    return role;
  }

  private static String digest(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.rdsflow.service.auth;

import io.rdsflow.activities.crypto.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks API credentials against the stored hashes.
 *
 * <ul>
 *   <li>User names are compared exactly (see {@link ApiUserDao#find}): {@code Admin}, {@code ádmin} and
 *       {@code "admin "} are not {@code admin}.
 *   <li>An unknown user costs what a known one costs: its password is checked against a {@link
 *       PasswordHasher#decoy() decoy} hash, so the time of a refusal does not tell which names exist.
 *   <li>A verified (user, password) pair is remembered for a minute so that PBKDF2 does not run on every
 *       request. The key is an HMAC-SHA-256 of both under a key of this process, never the password; an
 *       entry counts only while the user's stored hash is still the one it was verified against, so a
 *       password changed anywhere (another server's start, the database) is refused at once.
 * </ul>
 */
public final class ApiUsers {
  private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final int CACHE_LIMIT = 10_000;

  private record Verified(String username, String passwordHash, long until) {}

  private final ApiUserDao dao;
  private final String decoy = PasswordHasher.decoy();
  private final SecretKeySpec cacheKey = new SecretKeySpec(SecretCipher.randomBytes(32), "HmacSHA256");
  private final Map<String, Verified> cache = new ConcurrentHashMap<>();

  public ApiUsers(ApiUserDao dao) {
    this.dao = dao;
  }

  /**
   * What {@link #bootstrap(Prepared)} writes: the PBKDF2 hashes of the configured passwords and, when no
   * password is configured and {@code admin} does not exist yet, a generated one and its hash.
   */
  public record Prepared(String adminHash, String generatedAdminPassword, String viewerHash) {}

  /**
   * The hashes for {@link #bootstrap(Prepared)}, computed without writing anything (it only reads
   * whether {@code admin} exists): the start computes them while it derives the encryption key, and
   * writes them only once the key check has passed.
   */
  public Prepared prepare(String adminPassword, String viewerPassword) {
    String adminHash = null;
    String generated = null;
    if (adminPassword != null) {
      adminHash = PasswordHasher.hash(adminPassword);
    } else if (dao.find(Roles.ADMIN).isEmpty()) {
      generated = HexFormat.of().formatHex(SecretCipher.randomBytes(12));
      adminHash = PasswordHasher.hash(generated);
    }
    return new Prepared(adminHash, generated, viewerPassword == null ? null : PasswordHasher.hash(viewerPassword));
  }

  /**
   * Makes sure {@code admin} exists, with the hashes {@link #prepare} made. With a configured password
   * it is (re)set to it; without one a password is generated on the first start only.
   *
   * @return the generated password, to be shown once, or empty
   */
  public Optional<String> bootstrap(Prepared prepared) {
    Optional<String> generated = Optional.empty();
    if (prepared.generatedAdminPassword() != null) {
      if (dao.insertIfAbsent(Roles.ADMIN, Roles.ADMIN, prepared.adminHash())) {
        generated = Optional.of(prepared.generatedAdminPassword());
      }
    } else if (prepared.adminHash() != null) {
      dao.upsert(Roles.ADMIN, Roles.ADMIN, prepared.adminHash());
    }
    if (prepared.viewerHash() != null) {
      dao.upsert(Roles.VIEWER, Roles.VIEWER, prepared.viewerHash());
    }
    cache.clear();
    return generated;
  }

  /** The user's role when the user exists under exactly this name and the password is right. */
  public Optional<String> authenticate(String username, String password) {
    if (username == null || password == null) {
      return Optional.empty();
    }
    Optional<ApiUserDao.ApiUser> user = dao.find(username);
    String key = cacheKey(username, password);
    long now = System.nanoTime();
    Verified v = cache.get(key);
    if (v != null) {
      if (user.isPresent() && v.until() - now > 0 && v.username().equals(username)
          && v.passwordHash().equals(user.get().passwordHash())) {
        return Optional.of(user.get().role());
      }
      cache.remove(key, v);
    }
    // the same PBKDF2 work whether or not the user exists
    boolean matches = PasswordHasher.matches(password, user.map(ApiUserDao.ApiUser::passwordHash).orElse(decoy));
    if (user.isEmpty() || !matches) {
      return Optional.empty();
    }
    remember(key, new Verified(username, user.get().passwordHash(), now + CACHE_NANOS), now);
    return Optional.of(user.get().role());
  }

  private void remember(String key, Verified v, long now) {
    if (cache.size() >= CACHE_LIMIT) {
      cache.values().removeIf(e -> e.until() - now <= 0);
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
    }
    cache.put(key, v);
  }

  private String cacheKey(String username, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(cacheKey);
      byte[] user = username.getBytes(StandardCharsets.UTF_8);
      mac.update((user.length + ":").getBytes(StandardCharsets.UTF_8));
      mac.update(user);
      return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

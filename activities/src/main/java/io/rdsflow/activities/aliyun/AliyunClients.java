package io.rdsflow.activities.aliyun;

import com.aliyun.teaopenapi.models.Config;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.AccountDao;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RDS SDK client per Alibaba Cloud account and region (seed 000), built on first use and kept. Each
 * use reads the account row: when its AccessKey id or stored ciphertext changed (a rotation, made by
 * any process), the cached client is dropped and a new one built. The AccessKey secret is decrypted only
 * here, only when a client is built, and lives only inside the SDK's client.
 */
public final class AliyunClients {
  private static final Logger LOG = LoggerFactory.getLogger(AliyunClients.class);

  /** An account's client for one region. */
  public record Rds(String uid, String accessKeyId, String regionId, com.aliyun.rds20140815.Client client) {
    @Override
    public String toString() {
      return "Rds[" + uid + ", " + regionId + "]";
    }
  }

  /** The account is not configured (any more), or its secret cannot be opened with this key. */
  public static final class AccountUnavailable extends RuntimeException {
    public AccountUnavailable(String message) {
      super(message);
    }
  }

  private record Cached(String fingerprint, com.aliyun.rds20140815.Client client) {}

  private final AccountDao accounts;
  private final SecretCipher cipher;
  private final AliyunSettings settings;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public AliyunClients(AccountDao accounts, SecretCipher cipher, AliyunSettings settings) {
    this.accounts = accounts;
    this.cipher = cipher;
    this.settings = settings;
  }

  /** The account's client for {@code regionId} (null: the account's own region). */
  public Rds rds(String uid, String regionId) {
    AccountDao.AliyunAccount account = accounts.find(uid)
        .orElseThrow(() -> new AccountUnavailable("Alibaba Cloud account " + uid + " is not configured"));
    String region = regionId == null || regionId.isBlank() ? account.regionId() : regionId;
    String fingerprint = account.accessKeyId() + "|" + sha256(account.encryptedSecret());
    Cached cached = cache.compute(uid + "|" + region, (key, old) -> {
      if (old != null && old.fingerprint().equals(fingerprint)) {
        return old;
      }
      if (old != null) {
        LOG.info("Account {}: credentials changed (AccessKey id {}), SDK client for {} rebuilt", uid,
            account.accessKeyId(), region);
      }
      return new Cached(fingerprint, build(account, region));
    });
    return new Rds(uid, account.accessKeyId(), region, cached.client());
  }

  /** Drops every cached client of the account. */
  public void forget(String uid) {
    cache.keySet().removeIf(k -> k.startsWith(uid + "|"));
  }

  /** How many clients are cached (for tests). */
  public int size() {
    return cache.size();
  }

  private com.aliyun.rds20140815.Client build(AccountDao.AliyunAccount account, String region) {
    String secret;
    try {
      secret = cipher.decrypt(account.encryptedSecret());
    } catch (SecretCipher.WrongKeyException e) {
      throw new AccountUnavailable("the AccessKey secret of account " + account.aliyunUid()
          + " cannot be decrypted with this installation's key: " + e.getMessage());
    }
    Config config = new Config()
        .setAccessKeyId(account.accessKeyId())
        .setAccessKeySecret(secret)
        .setRegionId(region)
        .setProtocol(settings.protocol())
        .setConnectTimeout((int) settings.connectTimeout().toMillis())
        .setReadTimeout((int) settings.readTimeout().toMillis());
    if (settings.hasEndpoint()) {
      config.setEndpoint(settings.rdsEndpoint());
    }
    try {
      return new com.aliyun.rds20140815.Client(config);
    } catch (Exception e) {
      // the message of the SDK's endpoint lookup names no credentials
      throw new AccountUnavailable("cannot build the RDS client of account " + account.aliyunUid() + " for region "
          + region + ": " + e.getMessage());
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

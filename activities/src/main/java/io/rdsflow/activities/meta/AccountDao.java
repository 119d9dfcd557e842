package io.rdsflow.activities.meta;

import io.rdsflow.workflows.domain.InstanceStatus;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The {@code aliyun_accounts} table (seed 000). The secret column holds ciphertext only. */
public final class AccountDao {
  /** A stored account; {@code encryptedSecret} is ciphertext and never leaves the service. */
  public record AliyunAccount(
      String aliyunUid, String name, String accessKeyId, String encryptedSecret, String regionId,
      Instant createdAt, Instant updatedAt) {
    @Override
    public String toString() {
      return "AliyunAccount[" + aliyunUid + ", " + accessKeyId + "]";
    }
  }

  /** The uid exists already. */
  public static final class DuplicateAccountException extends RuntimeException {
    public DuplicateAccountException(String uid) {
      super("account " + uid + " exists");
    }
  }

  private static final String COLUMNS =
      "aliyun_uid, name, access_key_id, access_key_secret_encrypted, region_id, created_at, updated_at";

  private final Jdbi jdbi;

  public AccountDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void insert(String uid, String name, String accessKeyId, String encryptedSecret, String regionId) {
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO aliyun_accounts(aliyun_uid, name, access_key_id, "
              + "access_key_secret_encrypted, region_id) VALUES (:uid, :name, :ak, :sk, :region)")
          .bind("uid", uid).bind("name", name).bind("ak", accessKeyId).bind("sk", encryptedSecret)
          .bind("region", regionId).execute());
    } catch (UnableToExecuteStatementException e) {
      if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
        throw new DuplicateAccountException(uid);
      }
      throw e;
    }
  }

  public Optional<AliyunAccount> find(String uid) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM aliyun_accounts WHERE aliyun_uid = :uid")
        .bind("uid", uid).map((rs, ctx) -> map(rs)).findOne());
  }

  public List<AliyunAccount> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM aliyun_accounts ORDER BY aliyun_uid")
        .map((rs, ctx) -> map(rs)).list());
  }

  /** Replaces the key pair; false when the account does not exist. */
  public boolean updateCredentials(String uid, String accessKeyId, String encryptedSecret) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE aliyun_accounts SET access_key_id = :ak, "
            + "access_key_secret_encrypted = :sk WHERE aliyun_uid = :uid")
        .bind("uid", uid).bind("ak", accessKeyId).bind("sk", encryptedSecret).execute()) == 1;
  }

  public boolean delete(String uid) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM aliyun_accounts WHERE aliyun_uid = :uid")
        .bind("uid", uid).execute()) == 1;
  }

  /** Instances (not yet deleted) that reference the account. */
  public int countInstances(String uid) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM instance_list WHERE aliyun_uid = :uid AND ins_status <> :deleted")
        .bind("uid", uid).bind("deleted", InstanceStatus.DELETED.wire()).mapTo(Integer.class).one());
  }

  /** An instance (not yet deleted) of the account, and the cloud instance behind it that may still exist. */
  public record Use(String instanceId, InstanceStatus status, String cloudInstanceId, String cloudState, String regionId) {
    /** Whether rdsflow created a cloud instance for it (or may have) and has not deleted it. */
    public boolean cloudLeft() {
      return CloudInstanceDao.CREATED.equals(cloudState) || CloudInstanceDao.CREATE_SENT.equals(cloudState);
    }
  }

  /** The instances {@link #countInstances} counts, oldest first, at most {@code limit}. */
  public java.util.List<Use> instancesUsing(String uid, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT ins_id, ins_status, cloud_instance_id, cloud_state, region_id "
            + "FROM instance_list WHERE aliyun_uid = :uid AND ins_status <> :deleted ORDER BY created_at, ins_id LIMIT :n")
        .bind("uid", uid).bind("deleted", InstanceStatus.DELETED.wire()).bind("n", limit)
        .map((rs, ctx) -> new Use(rs.getString(1), InstanceStatus.of(rs.getString(2)), rs.getString(3), rs.getString(4),
            rs.getString(5)))
        .list());
  }

  private static AliyunAccount map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new AliyunAccount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant());
  }
}

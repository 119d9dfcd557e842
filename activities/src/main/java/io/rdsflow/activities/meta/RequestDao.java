package io.rdsflow.activities.meta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What an instance was asked to have and what rdsflow added: parameters ({@code mycnf_custinstance}),
 * accounts, databases, whitelist entries and the backup plan.
 */
public final class RequestDao {
  /** An account; the password is ciphertext. kind is {@code user} or {@code system}. */
  public record Account(String name, String kind, String encryptedPassword, String privilegesJson, String status) {
    @Override
    public String toString() {
      return "Account[" + name + ", " + kind + "]";
    }
  }

  /** A database to create. */
  public record Database(String name, String charset) {}

  /** A backup plan and its last backup. */
  public record BackupPlan(int retentionDays, String preferredTime, Integer binlogRetentionDays, String lastBackupFile,
      Long lastBackupBytes, String lastBackupMethod) {}

  private final Jdbi jdbi;

  public RequestDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public static void insertAccount(Handle h, String instanceId, Account a) {
    h.createUpdate("INSERT INTO instance_accounts(ins_id, account_name, kind, password_encrypted, privileges_json, status) "
            + "VALUES (:i, :n, :k, :p, :priv, :s)")
        .bind("i", instanceId).bind("n", a.name()).bind("k", a.kind()).bind("p", a.encryptedPassword())
        .bind("priv", a.privilegesJson()).bind("s", a.status()).execute();
  }

  public static void insertDatabase(Handle h, String instanceId, Database d) {
    h.createUpdate("INSERT INTO instance_databases(ins_id, db_name, charset, status) VALUES (:i, :n, :c, 'Creating')")
        .bind("i", instanceId).bind("n", d.name()).bind("c", d.charset()).execute();
  }

  public static void insertWhitelist(Handle h, String instanceId, String kind, String entry) {
    h.createUpdate("INSERT IGNORE INTO instance_whitelist(ins_id, kind, entry) VALUES (:i, :k, :e)")
        .bind("i", instanceId).bind("k", kind).bind("e", entry).execute();
  }

  /** Adds a system account unless one of that name exists; returns the stored account. */
  public Account systemAccountIfAbsent(String instanceId, String name, String encryptedPassword, String privilegesJson) {
    return jdbi.withHandle(h -> {
      h.createUpdate("INSERT IGNORE INTO instance_accounts(ins_id, account_name, kind, password_encrypted, "
              + "privileges_json, status) VALUES (:i, :n, 'system', :p, :priv, 'Available')")
          .bind("i", instanceId).bind("n", name).bind("p", encryptedPassword).bind("priv", privilegesJson).execute();
      return account(h, instanceId, name).orElseThrow();
    });
  }

  public Optional<Account> account(String instanceId, String name) {
    return jdbi.withHandle(h -> account(h, instanceId, name));
  }

  private static Optional<Account> account(Handle h, String instanceId, String name) {
    return h.createQuery("SELECT account_name, kind, password_encrypted, privileges_json, status FROM instance_accounts "
            + "WHERE ins_id = :i AND account_name = :n")
        .bind("i", instanceId).bind("n", name)
        .map((rs, ctx) -> new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
        .findOne();
  }

  public List<Account> accounts(String instanceId, String kind) {
    return jdbi.withHandle(h -> h.createQuery("SELECT account_name, kind, password_encrypted, privileges_json, status "
            + "FROM instance_accounts WHERE ins_id = :i AND kind = :k ORDER BY account_name")
        .bind("i", instanceId).bind("k", kind)
        .map((rs, ctx) -> new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
        .list());
  }

  public void setAccountStatus(String instanceId, String kind, String status) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_accounts SET status = :s WHERE ins_id = :i AND kind = :k")
        .bind("i", instanceId).bind("k", kind).bind("s", status).execute());
  }

  public List<Database> databases(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT db_name, charset FROM instance_databases WHERE ins_id = :i ORDER BY db_name")
        .bind("i", instanceId).map((rs, ctx) -> new Database(rs.getString(1), rs.getString(2))).list());
  }

  public void setDatabaseStatus(String instanceId, String status) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_databases SET status = :s WHERE ins_id = :i")
        .bind("i", instanceId).bind("s", status).execute());
  }

  public List<String> whitelist(String instanceId, String kind) {
    return jdbi.withHandle(h -> h.createQuery("SELECT entry FROM instance_whitelist WHERE ins_id = :i AND kind = :k ORDER BY entry")
        .bind("i", instanceId).bind("k", kind).mapTo(String.class).list());
  }

  public void replaceWhitelist(String instanceId, String kind, List<String> entries) {
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM instance_whitelist WHERE ins_id = :i AND kind = :k").bind("i", instanceId).bind("k", kind).execute();
      for (String e : entries) {
        insertWhitelist(h, instanceId, kind, e);
      }
    });
  }

  /** Replaces the instance's parameters with {@code params} (name → value), tagged with where each came from. */
  public void replaceParams(String instanceId, Map<String, String> params, Map<String, String> sources) {
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM mycnf_custinstance WHERE ins_id = :i").bind("i", instanceId).execute();
      var batch = h.prepareBatch("INSERT INTO mycnf_custinstance(ins_id, name, value, source) VALUES (:i, :n, :v, :s)");
      params.forEach((k, v) -> batch.bind("i", instanceId).bind("n", k).bind("v", v).bind("s", sources.get(k)).add());
      if (!params.isEmpty()) {
        batch.execute();
      }
    });
  }

  /** Sets {@code params} (name → value) among the instance's parameters, tagged with {@code source}; the others stay. */
  public void upsertParams(String instanceId, Map<String, String> params, String source) {
    jdbi.useTransaction(h -> params.forEach((k, v) -> h.createUpdate("INSERT INTO mycnf_custinstance(ins_id, name, value, source) "
            + "VALUES (:i, :n, :v, :s) ON DUPLICATE KEY UPDATE value = VALUES(value), source = VALUES(source)")
        .bind("i", instanceId).bind("n", k).bind("v", v).bind("s", source).execute()));
  }

  public Map<String, String> params(String instanceId) {
    Map<String, String> out = new LinkedHashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT name, value FROM mycnf_custinstance WHERE ins_id = :i ORDER BY name")
        .bind("i", instanceId).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** The parameters operations ({@code modify-parameters}) set since the creation. */
  public Map<String, String> changedParams(String instanceId) {
    Map<String, String> out = new LinkedHashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT name, value FROM mycnf_custinstance WHERE ins_id = :i AND source = 'operation' "
            + "ORDER BY name")
        .bind("i", instanceId).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  public void upsertBackupPlan(String instanceId, int retentionDays, String preferredTime) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO backup_plans(ins_id, retention_days, preferred_time) VALUES (:i, :r, :t) "
            + "ON DUPLICATE KEY UPDATE retention_days = VALUES(retention_days), preferred_time = VALUES(preferred_time)")
        .bind("i", instanceId).bind("r", retentionDays).bind("t", preferredTime).execute());
  }

  public void setBinlogRetention(String instanceId, int days) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE backup_plans SET binlog_retention_days = :d WHERE ins_id = :i")
        .bind("i", instanceId).bind("d", days).execute());
  }

  public void recordBackup(String instanceId, String file, long bytes, String method) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE backup_plans SET last_backup_at = CURRENT_TIMESTAMP(3), last_backup_file = :f, "
            + "last_backup_bytes = :b, last_backup_method = :m WHERE ins_id = :i")
        .bind("i", instanceId).bind("f", file).bind("b", bytes).bind("m", method).execute());
  }

  public Optional<BackupPlan> backupPlan(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT retention_days, preferred_time, binlog_retention_days, last_backup_file, "
            + "last_backup_bytes, last_backup_method FROM backup_plans WHERE ins_id = :i")
        .bind("i", instanceId)
        .map((rs, ctx) -> new BackupPlan(rs.getInt(1), rs.getString(2), (Integer) rs.getObject(3), rs.getString(4),
            rs.getObject(5) == null ? null : rs.getLong(5), rs.getString(6)))
        .findOne());
  }

  /**
   * What {@code do_check_accounts_and_dbs} reports: the user accounts, databases and grants to create.
   * The checks themselves (reserved prefixes, each grant on a requested database) are CreateInstance's,
   * made before these rows were written in the same transaction; they are not made again here.
   */
  public String summary(String instanceId) {
    List<Account> accounts = accounts(instanceId, "user");
    int grants = 0;
    for (Account a : accounts) {
      grants += CreateRequest.privileges(a.privilegesJson()).size();
    }
    return accounts.size() + " account(s), " + databases(instanceId).size() + " database(s), " + grants + " grant(s) to create";
  }
}

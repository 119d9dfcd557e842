package io.rdsflow.activities.meta;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code backups}: one row per backup file, RUNNING while it is taken, SUCCEEDED or FAILED after. Rows
 * outlive their instance (no foreign key) until retention removes them with their files.
 */
public final class BackupDao {
  public static final String FULL = "full";
  public static final String RUNNING = "RUNNING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  /** One backup. {@code node} is the node's name (the role it was created with). */
  public record Backup(String backupId, String instanceId, String operationId, String kind, String node, String host,
      String method, String status, Instant startedAt, Instant finishedAt, Long sizeBytes, String gtid, String binlogFile,
      Long binlogPos, String checksum, String path, String error) {}

  /** What a finished backup reports. */
  public record Result(String method, long sizeBytes, String gtid, String binlogFile, Long binlogPos, String checksum,
      String path) {}

  private final Jdbi jdbi;

  public BackupDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * The RUNNING row of the backup taken by {@code operationId} (its creation or operation): a retried step finds the
   * row of its first attempt and keeps its id; otherwise a new row {@code bk-<instanceId>-<yyyyMMddHHmmss>-<n>}.
   */
  public Backup start(String instanceId, String operationId, String kind, String node, String host, String method) {
    return jdbi.inTransaction(h -> {
      Optional<String> earlier = h.createQuery("SELECT backup_id FROM backups WHERE op_id = :o AND kind = :k FOR UPDATE")
          .bind("o", operationId).bind("k", kind).mapTo(String.class).findFirst();
      String id;
      if (earlier.isPresent()) {
        id = earlier.get();
        h.createUpdate("UPDATE backups SET status = 'RUNNING', node = :n, host = :h, method = :m, error_message = NULL, "
                + "finished_at = NULL WHERE backup_id = :b")
            .bind("n", node).bind("h", host).bind("m", method).bind("b", id).execute();
      } else {
        int n = h.createQuery("SELECT COUNT(*) + 1 FROM backups WHERE ins_id = :i").bind("i", instanceId)
            .mapTo(Integer.class).one();
        id = "bk-" + instanceId + "-" + STAMP.format(Instant.now()) + "-" + n;
        h.createUpdate("INSERT INTO backups(backup_id, ins_id, op_id, kind, node, host, method, status) "
                + "VALUES (:b, :i, :o, :k, :n, :h, :m, 'RUNNING')")
            .bind("b", id).bind("i", instanceId).bind("o", operationId).bind("k", kind).bind("n", node).bind("h", host)
            .bind("m", method).execute();
      }
      return find(h, id).orElseThrow();
    });
  }

  public void succeeded(String backupId, Result r) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE backups SET status = 'SUCCEEDED', finished_at = CURRENT_TIMESTAMP(3), "
            + "method = :m, size_bytes = :s, gtid = :g, binlog_file = :f, binlog_pos = :p, checksum = :c, path = :path, "
            + "error_message = NULL WHERE backup_id = :b")
        .bind("m", r.method()).bind("s", r.sizeBytes()).bind("g", r.gtid()).bind("f", r.binlogFile())
        .bind("p", r.binlogPos()).bind("c", r.checksum()).bind("path", r.path()).bind("b", backupId).execute());
  }

  public void failed(String backupId, String error) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE backups SET status = 'FAILED', finished_at = CURRENT_TIMESTAMP(3), "
            + "error_message = :e WHERE backup_id = :b")
        .bind("e", error).bind("b", backupId).execute());
  }

  /** The operation's backup rows still RUNNING are FAILED (its workflow ended without finishing them). */
  public void failRunning(String operationId, String error) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE backups SET status = 'FAILED', finished_at = CURRENT_TIMESTAMP(3), "
            + "error_message = :e WHERE op_id = :o AND status = 'RUNNING'")
        .bind("e", error).bind("o", operationId).execute());
  }

  /** The instance's backups, newest first. */
  public List<Backup> list(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM backups WHERE ins_id = :i ORDER BY started_at DESC, backup_id DESC")
        .bind("i", instanceId).map((rs, ctx) -> row(rs)).list());
  }

  /** One backup by id, whatever its instance's state (backups outlive their instance). */
  public Optional<Backup> find(String backupId) {
    return jdbi.withHandle(h -> find(h, backupId));
  }

  public void delete(String backupId) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM backups WHERE backup_id = :b").bind("b", backupId).execute());
  }

  private static Optional<Backup> find(org.jdbi.v3.core.Handle h, String backupId) {
    return h.createQuery("SELECT * FROM backups WHERE backup_id = :b").bind("b", backupId).map((rs, ctx) -> row(rs)).findOne();
  }

  private static Backup row(ResultSet rs) throws SQLException {
    return new Backup(rs.getString("backup_id"), rs.getString("ins_id"), rs.getString("op_id"), rs.getString("kind"),
        rs.getString("node"), rs.getString("host"), rs.getString("method"), rs.getString("status"),
        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")), (Long) longOrNull(rs, "size_bytes"),
        rs.getString("gtid"), rs.getString("binlog_file"), (Long) longOrNull(rs, "binlog_pos"), rs.getString("checksum"),
        rs.getString("path"), rs.getString("error_message"));
  }

  private static Object longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}

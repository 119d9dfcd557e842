package io.rdsflow.activities.meta;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The {@code binlog_archive} table (V9): one row per binlog file copied to the archive. */
public final class BinlogArchiveDao {
  /** An archived binlog; times are epoch seconds. */
  public record Archived(String instanceId, String node, String fileName, String path, long firstEventAt, long lastEventAt,
      String gtidStart, long bytes, String sha256) {
    /** How the archive tells a file apart: a node's names restart after a rebuild, its opening time does not repeat. */
    public String key() {
      return node + "/" + fileName + "@" + firstEventAt;
    }
  }

  private static final String COLUMNS = "ins_id, node, file_name, archive_path, first_event_at, last_event_at, gtid_start, "
      + "size_bytes, sha256";

  private final Jdbi jdbi;

  public BinlogArchiveDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void record(Archived a) {
    jdbi.useHandle(h -> h.createUpdate("INSERT IGNORE INTO binlog_archive (" + COLUMNS + ") VALUES (:i, :n, :f, :p, :first, "
            + ":last, :g, :b, :s)")
        .bind("i", a.instanceId()).bind("n", a.node()).bind("f", a.fileName()).bind("p", a.path())
        .bind("first", a.firstEventAt()).bind("last", a.lastEventAt()).bind("g", a.gtidStart()).bind("b", a.bytes())
        .bind("s", a.sha256()).execute());
  }

  /** The instance's archived binlogs, oldest first (by last event, then by id). */
  public List<Archived> list(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM binlog_archive WHERE ins_id = :i "
            + "ORDER BY last_event_at, id")
        .bind("i", instanceId)
        .map((rs, ctx) -> new Archived(rs.getString("ins_id"), rs.getString("node"), rs.getString("file_name"),
            rs.getString("archive_path"), rs.getLong("first_event_at"), rs.getLong("last_event_at"), rs.getString("gtid_start"),
            rs.getLong("size_bytes"), rs.getString("sha256")))
        .list());
  }

  /** Forgets one archived binlog (retention removed its file). */
  public void delete(Archived a) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM binlog_archive WHERE ins_id = :i AND node = :n AND file_name = :f "
            + "AND first_event_at = :first")
        .bind("i", a.instanceId()).bind("n", a.node()).bind("f", a.fileName()).bind("first", a.firstEventAt()).execute());
  }

  /** The last event time (epoch seconds) of the newest archived binlog. */
  public Optional<Long> latest(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT MAX(last_event_at) FROM binlog_archive WHERE ins_id = :i")
        .bind("i", instanceId).mapTo(Long.class).findOne());
  }

  /** The first event time (epoch seconds) of the oldest archived binlog: where the archive starts. */
  public Optional<Long> earliest(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT MIN(first_event_at) FROM binlog_archive WHERE ins_id = :i")
        .bind("i", instanceId).mapTo(Long.class).findOne());
  }
}

package io.rdsflow.activities.collect;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.steps.ControlStepsImpl;
import io.rdsflow.workflows.collect.RoundSummary;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Targets of a group, snapshots and rounds: what collection reads and writes in the metadata DB. */
public final class CollectionDao {
  /** The latest snapshot of a target. */
  public record Snapshot(String targetId, String group, Map<String, String> identity, Instant collectedAt, long periodMillis,
      boolean ok, String error, List<Sample> samples) {}

  /** A snapshot's key and age, to find which ones changed. */
  public record Stamp(String targetId, Instant collectedAt) {}

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final TypeReference<List<Sample>> SAMPLES = new TypeReference<>() {};
  private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {};

  private final Jdbi jdbi;

  public CollectionDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Group names that exist now: local, external, and one per Alibaba Cloud account. */
  public List<String> groups() {
    List<String> groups = new java.util.ArrayList<>(List.of("local", "external"));
    jdbi.useHandle(h -> h.createQuery("SELECT aliyun_uid FROM aliyun_accounts ORDER BY aliyun_uid").mapTo(String.class)
        .forEach(uid -> groups.add("aliyun-" + uid)));
    return groups;
  }

  public boolean groupExists(String group) {
    return groups().contains(group);
  }

  public List<Target> targets(String group) {
    String where;
    String uid = null;
    if (group.equals("local")) {
      where = "i.engine = 'local'";
    } else if (group.equals("external")) {
      where = "i.engine = 'external'";
    } else if (group.startsWith("aliyun-")) {
      where = "i.engine = 'aliyun' AND i.aliyun_uid = :uid";
      uid = group.substring("aliyun-".length());
    } else {
      return List.of();
    }
    String u = uid;
    return jdbi.withHandle(h -> {
      var q = h.createQuery("SELECT i.ins_id, i.ins_name, i.engine, i.aliyun_uid, COALESCE(n.role, 'master'), "
          + "COALESCE(hs.address, n.host), COALESCE(n.port, 0), i.monitor_user, i.monitor_password_encrypted, i.labels_json, "
          + "COALESCE(i.cloud_instance_id, i.ins_id), ca.account_name, ca.password_encrypted, i.collectors_json, "
          + "cs.scrape_errors_json "
          + "FROM instance_list i LEFT JOIN instance_nodes n ON n.ins_id = i.ins_id LEFT JOIN hosts hs ON hs.host_name = n.host "
          + "LEFT JOIN collection_snapshots cs ON cs.target_id = CONCAT(i.ins_id, ':', COALESCE(n.role, 'master')) "
          + "LEFT JOIN instance_accounts ca ON ca.ins_id = i.ins_id AND ca.kind = 'system' AND ca.account_name = '"
          + ControlStepsImpl.CUSTOM + "' "
          + "WHERE " + where + " AND i.monitor_enabled = 1 AND i.ins_status = 'RUNNING' ORDER BY i.ins_id, n.role");
      if (u != null) {
        q.bind("uid", u);
      }
      return q.map((rs, ctx) -> target(rs, group)).list();
    });
  }

  private static Target target(ResultSet rs, String group) throws SQLException {
    String labels = rs.getString(10);
    Map<String, String> map = labels == null ? Map.of() : Json.read(labels, STRING_MAP);
    String engine = rs.getString(3);
    // custom SQL: local instances use their own least-privilege account, external ones the registered user
    String customUser = "local".equals(engine) ? rs.getString(12) : "external".equals(engine) ? rs.getString(8) : null;
    String customPassword = "local".equals(engine) ? rs.getString(13) : "external".equals(engine) ? rs.getString(9) : null;
    String switches = rs.getString(14);
    String errors = rs.getString(15);
    return new Target(rs.getString(1) + ":" + rs.getString(5), group, rs.getString(1), rs.getString(2), engine,
        rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9), map,
        rs.getString(11), customUser, customPassword,
        Collectors.disabled(switches == null ? null : Json.read(switches, CollectorSwitches.TYPE)),
        errors == null ? null : Json.read(errors, COUNTS));
  }

  public void writeSnapshot(Target t, Instant at, long periodMillis, boolean ok, String error, List<Sample> samples) {
    writeSnapshot(t, at, periodMillis, ok, error, samples, null);
  }

  /** The snapshot; {@code scrapeErrors} (per collector, so far) replaces the stored counts unless null. */
  public void writeSnapshot(Target t, Instant at, long periodMillis, boolean ok, String error, List<Sample> samples,
      Map<String, Long> scrapeErrors) {
    Map<String, String> identity = new LinkedHashMap<>(t.identity());
    t.labels().forEach((k, v) -> identity.put("label:" + k, v));
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO collection_snapshots(target_id, group_name, identity_json, collected_at, "
            + "period_ms, ok, error_message, samples_json, scrape_errors_json) VALUES (:t, :g, :i, :at, :p, :ok, :e, :s, :se) "
            + "ON DUPLICATE KEY UPDATE "
            + "group_name = VALUES(group_name), identity_json = VALUES(identity_json), collected_at = VALUES(collected_at), "
            + "period_ms = VALUES(period_ms), ok = VALUES(ok), error_message = VALUES(error_message), samples_json = VALUES(samples_json), "
            + "scrape_errors_json = COALESCE(VALUES(scrape_errors_json), scrape_errors_json)")
        .bind("t", t.id()).bind("g", t.group()).bind("i", Json.write(identity)).bind("at", Timestamp.from(at))
        .bind("p", periodMillis).bind("ok", ok ? 1 : 0).bind("e", error).bind("s", Json.write(samples))
        .bind("se", scrapeErrors == null ? null : Json.write(scrapeErrors)).execute());
  }

  /** Drops snapshots of the group's targets that are no longer listed. */
  public void forgetOthers(String group, List<String> current) {
    jdbi.useHandle(h -> {
      List<String> stored = h.createQuery("SELECT target_id FROM collection_snapshots WHERE group_name = :g")
          .bind("g", group).mapTo(String.class).list();
      for (String id : stored) {
        if (!current.contains(id)) {
          h.createUpdate("DELETE FROM collection_snapshots WHERE target_id = :t").bind("t", id).execute();
        }
      }
    });
  }

  public List<Stamp> stamps() {
    return jdbi.withHandle(h -> h.createQuery("SELECT target_id, collected_at FROM collection_snapshots")
        .map((rs, ctx) -> new Stamp(rs.getString(1), rs.getTimestamp(2).toInstant())).list());
  }

  public Optional<Snapshot> snapshot(String targetId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT target_id, group_name, identity_json, collected_at, period_ms, ok, "
            + "error_message, samples_json FROM collection_snapshots WHERE target_id = :t")
        .bind("t", targetId)
        .map((rs, ctx) -> new Snapshot(rs.getString(1), rs.getString(2),
            rs.getString(3) == null ? Map.of() : Json.read(rs.getString(3), STRING_MAP), rs.getTimestamp(4).toInstant(),
            rs.getLong(5), rs.getInt(6) == 1, rs.getString(7), Json.read(rs.getString(8), SAMPLES)))
        .findOne());
  }

  public void writeRound(RoundSummary r) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO collection_rounds(group_name, round_no, started_at, duration_ms, targets_ok, "
            + "targets_failed, errors_json) VALUES (:g, :r, :s, :d, :ok, :f, :e) ON DUPLICATE KEY UPDATE round_no = VALUES(round_no), "
            + "started_at = VALUES(started_at), duration_ms = VALUES(duration_ms), targets_ok = VALUES(targets_ok), "
            + "targets_failed = VALUES(targets_failed), errors_json = VALUES(errors_json)")
        .bind("g", r.group()).bind("r", r.round()).bind("s", Timestamp.from(Instant.ofEpochMilli(r.startedAtMillis())))
        .bind("d", r.durationMillis()).bind("ok", r.ok()).bind("f", r.failed()).bind("e", Json.write(r.errors())).execute());
  }

  public List<RoundSummary> rounds() {
    return jdbi.withHandle(h -> h.createQuery("SELECT group_name, round_no, started_at, duration_ms, targets_ok, targets_failed, "
            + "errors_json FROM collection_rounds ORDER BY group_name")
        .map((rs, ctx) -> new RoundSummary(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant().toEpochMilli(),
            rs.getLong(4), rs.getInt(5), rs.getInt(6), Json.read(rs.getString(7), STRING_MAP)))
        .list());
  }
}

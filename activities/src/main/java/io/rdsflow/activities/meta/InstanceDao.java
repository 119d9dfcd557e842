package io.rdsflow.activities.meta;

import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.Topology;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** {@code instance_list}: one row per instance, whatever its engine. */
public final class InstanceDao {
  /** An instance row; secrets are ciphertext and stay inside the service. The typed values are stored as their wire strings. */
  public record Instance(String id, String name, Engine engine, String engineVersion, String minorVersion,
      Topology topology, InstanceStatus status, String aliyunUid, String regionId, String clientToken, String requestJson,
      String labelsJson, String errorMessage, boolean monitorEnabled, Instant createdAt) {
    public boolean masterSlave() {
      return topology == Topology.MASTER_SLAVE;
    }
  }

  private static final String COLUMNS = "ins_id, ins_name, engine, engine_version, minor_version, topology, ins_status, "
      + "aliyun_uid, region_id, client_token, request_json, labels_json, error_message, monitor_enabled, created_at";

  private final Jdbi jdbi;

  public InstanceDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Inserts a new instance row inside the caller's transaction. */
  public static void insert(Handle h, Instance i) {
    h.createUpdate("INSERT INTO instance_list(ins_id, ins_name, engine, engine_version, topology, ins_status, "
            + "ins_is_readonly, aliyun_uid, region_id, client_token, request_json, labels_json) VALUES "
            + "(:id, :name, :engine, :version, :topology, :status, 0, :uid, :region, :token, :request, :labels)")
        .bind("id", i.id()).bind("name", i.name()).bind("engine", i.engine().wire()).bind("version", i.engineVersion())
        .bind("topology", i.topology().wire()).bind("status", i.status().wire()).bind("uid", i.aliyunUid())
        .bind("region", i.regionId()).bind("token", i.clientToken()).bind("request", i.requestJson())
        .bind("labels", i.labelsJson()).execute();
  }

  public Optional<Instance> find(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM instance_list WHERE ins_id = :id")
        .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
  }

  public Instance get(String id) {
    return find(id).orElseThrow(() -> new IllegalStateException("instance " + id + " is not in the metadata database"));
  }

  public Optional<Instance> findByClientToken(String token) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM instance_list WHERE client_token = :t")
        .bind("t", token).map((rs, ctx) -> map(rs)).findOne());
  }

  /** An instance with this name that is not deleted or failed. */
  public boolean nameInUse(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM instance_list WHERE ins_name = :n "
            + "AND ins_status NOT IN (:deleted, :failed)")
        .bind("n", name).bind("deleted", InstanceStatus.DELETED.wire()).bind("failed", InstanceStatus.FAILED.wire())
        .mapTo(Integer.class).one()) > 0;
  }

  public List<Instance> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM instance_list ORDER BY created_at, ins_id")
        .map((rs, ctx) -> map(rs)).list());
  }

  public void setStatus(String id, InstanceStatus status, String errorMessage) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET ins_status = :s, error_message = :e WHERE ins_id = :id")
        .bind("id", id).bind("s", status.wire()).bind("e", errorMessage).execute());
  }

  /** A deletion begins (DeleteInstance): status DELETING, no error, {@code deleting_since} now. */
  public void beginDeleting(String id) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET ins_status = :deleting, error_message = NULL, "
            + "deleting_since = :now WHERE ins_id = :id")
        .bind("id", id).bind("deleting", InstanceStatus.DELETING.wire()).bind("now", java.sql.Timestamp.from(Instant.now()))
        .execute());
  }

  /** When the running removal of the instance began; empty when none has. */
  public Optional<Instant> deletingSince(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT deleting_since FROM instance_list WHERE ins_id = :id")
        .bind("id", id).map((rs, ctx) -> rs.getTimestamp(1)).findOne())
        .map(ts -> ts == null ? null : ts.toInstant());
  }

  public void setMinorVersion(String id, String version) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET minor_version = :v WHERE ins_id = :id")
        .bind("id", id).bind("v", version).execute());
  }

  /** Sets the root password ciphertext unless one is stored; returns the stored one. */
  public String rootPasswordIfAbsent(String id, String encrypted) {
    return jdbi.withHandle(h -> {
      h.createUpdate("UPDATE instance_list SET root_password_encrypted = :p WHERE ins_id = :id AND root_password_encrypted IS NULL")
          .bind("id", id).bind("p", encrypted).execute();
      return h.createQuery("SELECT root_password_encrypted FROM instance_list WHERE ins_id = :id")
          .bind("id", id).mapTo(String.class).one();
    });
  }

  public Optional<String> rootPassword(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT root_password_encrypted FROM instance_list WHERE ins_id = :id")
        .bind("id", id).mapTo(String.class).findOne());
  }

  public void setMonitoring(String id, boolean enabled, String user, String encryptedPassword) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET monitor_enabled = :e, monitor_user = :u, "
            + "monitor_password_encrypted = :p WHERE ins_id = :id")
        .bind("id", id).bind("e", enabled ? 1 : 0).bind("u", user).bind("p", encryptedPassword).execute());
  }

  private static Instance map(ResultSet rs) throws SQLException {
    return new Instance(rs.getString(1), rs.getString(2), Engine.of(rs.getString(3)), rs.getString(4), rs.getString(5),
        Topology.of(rs.getString(6)), InstanceStatus.of(rs.getString(7)), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
        rs.getString(12), rs.getString(13), rs.getInt(14) == 1, rs.getTimestamp(15).toInstant());
  }
}

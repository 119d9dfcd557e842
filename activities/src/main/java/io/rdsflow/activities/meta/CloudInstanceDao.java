package io.rdsflow.activities.meta;

import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.Role;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The cloud side of an aliyun instance row: {@code instance_list.cloud_instance_id} (the RDS instance id,
 * {@code rm-...}) and {@code cloud_state} (see V4__add_cloud_instance_columns.sql).
 */
public final class CloudInstanceDao {
  public static final String CREATE_SENT = "CREATE_SENT";
  public static final String CREATED = "CREATED";
  public static final String REGISTERED = "REGISTERED";
  public static final String RELEASED = "RELEASED";

  /** The cloud instance behind a row (id null while unknown) and how rdsflow came to it (null: nothing sent). */
  public record CloudRef(String cloudInstanceId, String state) {}

  private final Jdbi jdbi;

  public CloudInstanceDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public CloudRef get(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT cloud_instance_id, cloud_state FROM instance_list WHERE ins_id = :i")
        .bind("i", instanceId).map((rs, ctx) -> new CloudRef(rs.getString(1), rs.getString(2))).findOne())
        .orElseThrow(() -> new IllegalStateException("instance " + instanceId + " is not in the metadata database"));
  }

  /** CreateDBInstance is about to be sent: from now on a cloud instance may exist. */
  public void markCreateSent(String instanceId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET cloud_state = 'CREATE_SENT' "
            + "WHERE ins_id = :i AND cloud_instance_id IS NULL")
        .bind("i", instanceId).execute());
  }

  /** The cloud refused the create for sure (no try could have taken effect): nothing exists. */
  public void clearCreateSent(String instanceId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET cloud_state = NULL "
            + "WHERE ins_id = :i AND cloud_instance_id IS NULL AND cloud_state = 'CREATE_SENT'")
        .bind("i", instanceId).execute());
  }

  public void created(String instanceId, String cloudInstanceId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET cloud_instance_id = :c, cloud_state = 'CREATED' "
            + "WHERE ins_id = :i")
        .bind("i", instanceId).bind("c", cloudInstanceId).execute());
  }

  public void released(String instanceId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET cloud_state = 'RELEASED' WHERE ins_id = :i")
        .bind("i", instanceId).execute());
  }

  /**
   * The cloud instance is about to be deleted: a creation being compensated (CREATING) turns DELETING
   * from now, a deletion keeps the time it began. Returns when the removal began.
   */
  public java.time.Instant deletionStarted(String instanceId) {
    java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
    return jdbi.withHandle(h -> {
      h.createUpdate("UPDATE instance_list SET ins_status = :deleting, deleting_since = :now "
              + "WHERE ins_id = :i AND ins_status = :creating")
          .bind("i", instanceId).bind("now", now).bind("deleting", InstanceStatus.DELETING.wire())
          .bind("creating", InstanceStatus.CREATING.wire()).execute();
      h.createUpdate("UPDATE instance_list SET deleting_since = :now WHERE ins_id = :i AND deleting_since IS NULL")
          .bind("i", instanceId).bind("now", now).execute();
      return h.createQuery("SELECT deleting_since FROM instance_list WHERE ins_id = :i")
          .bind("i", instanceId).map((rs, ctx) -> rs.getTimestamp(1).toInstant()).one();
    });
  }

  /** The last answer of a cloud that is failing a deletion, shown as the error of the DELETING instance. */
  public void deletionError(String instanceId, String error) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET error_message = :e "
            + "WHERE ins_id = :i AND ins_status = :deleting")
        .bind("i", instanceId).bind("e", error).bind("deleting", InstanceStatus.DELETING.wire()).execute());
  }

  /** The row (any status) that holds this cloud instance, if one does. */
  public Optional<InstanceDao.Instance> findByCloudId(String cloudInstanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT ins_id FROM instance_list WHERE cloud_instance_id = :c")
        .bind("c", cloudInstanceId).mapTo(String.class).findOne()).flatMap(new InstanceDao(jdbi)::find);
  }

  /** Marks a just-inserted row as a registered cloud instance, monitored, with its endpoint, in the caller's transaction. */
  public static void registered(Handle h, String instanceId, String cloudInstanceId, String host, int port) {
    h.createUpdate("UPDATE instance_list SET cloud_instance_id = :c, cloud_state = 'REGISTERED', monitor_enabled = 1 "
            + "WHERE ins_id = :i")
        .bind("i", instanceId).bind("c", cloudInstanceId).execute();
    h.createUpdate("INSERT INTO instance_nodes(ins_id, role, host, port) VALUES (:i, :role, :h, :p) "
            + "ON DUPLICATE KEY UPDATE host = VALUES(host), port = VALUES(port)")
        .bind("i", instanceId).bind("role", Role.MASTER.wire()).bind("h", host).bind("p", port).execute();
  }
}

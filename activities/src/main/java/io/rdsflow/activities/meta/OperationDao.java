package io.rdsflow.activities.meta;

import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.domain.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code operations} and the instance's operation lock ({@code instance_list.operation_id}): one
 * operation at a time per instance, and none while it is being created or deleted.
 */
public final class OperationDao {
  /** One operation; its steps are the {@code task_steps} rows under its id. */
  public record Operation(String operationId, String instanceId, int seq, OperationType type, Trigger trigger,
      TaskStatus status, String paramsJson, String error, Instant startedAt, Instant finishedAt) {}

  private static final String COLUMNS = "op_id, ins_id, seq, op_type, trigger_kind, status, params_json, error_message, "
      + "started_at, finished_at";

  private final Jdbi jdbi;

  public OperationDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The number of the instance's next operation. */
  public static int nextSeq(Handle h, String instanceId) {
    return h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM operations WHERE ins_id = :i")
        .bind("i", instanceId).mapTo(Integer.class).one();
  }

  /**
   * Takes the instance's lock for the operation: false when the instance is not RUNNING or another
   * operation holds it (a concurrent taker waits on the row lock, then finds it taken).
   */
  public static boolean lock(Handle h, String instanceId, String operationId) {
    return h.createUpdate("UPDATE instance_list SET operation_id = :op WHERE ins_id = :i AND operation_id IS NULL "
            + "AND ins_status = 'RUNNING'")
        .bind("op", operationId).bind("i", instanceId).execute() == 1;
  }

  /**
   * A deletion takes the lock too (and keeps it: the instance goes away); false while an operation
   * holds it. A deletion run again takes its own lock again.
   */
  public static boolean lockForDeletion(Jdbi jdbi, String instanceId, String deleteWorkflowId) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE instance_list SET operation_id = :d WHERE ins_id = :i "
            + "AND (operation_id IS NULL OR operation_id = :d)")
        .bind("d", deleteWorkflowId).bind("i", instanceId).execute()) == 1;
  }

  /** Automatic failover is on for the instance and it did not fail over automatically within {@code window}. */
  public static boolean autoFailoverAllowed(Handle h, String instanceId, java.time.Duration window) {
    return h.createQuery("SELECT COUNT(*) FROM instance_list WHERE ins_id = :i AND auto_failover = 1 "
            + "AND (last_auto_failover_at IS NULL OR last_auto_failover_at < CURRENT_TIMESTAMP(3) - INTERVAL :s SECOND)")
        .bind("i", instanceId).bind("s", window.toSeconds()).mapTo(Integer.class).one() == 1;
  }

  public static void recordAutoFailover(Handle h, String instanceId) {
    h.createUpdate("UPDATE instance_list SET last_auto_failover_at = CURRENT_TIMESTAMP(3) WHERE ins_id = :i")
        .bind("i", instanceId).execute();
  }

  /** Automatic failover on or off for an instance (on by default). */
  public void setAutoFailover(String instanceId, boolean on) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET auto_failover = :on WHERE ins_id = :i")
        .bind("on", on ? 1 : 0).bind("i", instanceId).execute());
  }

  public boolean autoFailover(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT auto_failover FROM instance_list WHERE ins_id = :i")
        .bind("i", instanceId).mapTo(Integer.class).findOne()).orElse(0) == 1;
  }

  public static void insert(Handle h, Operation op) {
    h.createUpdate("INSERT INTO operations(op_id, ins_id, seq, op_type, trigger_kind, status, params_json) "
            + "VALUES (:op, :i, :seq, :type, :trigger, :status, :params)")
        .bind("op", op.operationId()).bind("i", op.instanceId()).bind("seq", op.seq()).bind("type", op.type().wire())
        .bind("trigger", op.trigger().wire()).bind("status", TaskStatus.RUNNING.wire()).bind("params", op.paramsJson())
        .execute();
  }

  /** The id of the operation (or deletion) running on the instance, if any. */
  public Optional<String> running(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT operation_id FROM instance_list WHERE ins_id = :i AND operation_id IS NOT NULL")
        .bind("i", instanceId).mapTo(String.class).findOne());
  }

  /**
   * The operation ends: its row, the instance's lock released; returns the operation when this call
   * ended it (empty when an earlier attempt did).
   */
  public Optional<Operation> finish(String operationId, TaskStatus status, String error) {
    return jdbi.inTransaction(h -> {
      int ended = h.createUpdate("UPDATE operations SET status = :s, error_message = :e, finished_at = CURRENT_TIMESTAMP(3) "
              + "WHERE op_id = :op AND status = 'RUNNING'")
          .bind("s", status.wire()).bind("e", error).bind("op", operationId).execute();
      h.createUpdate("UPDATE instance_list SET operation_id = NULL WHERE operation_id = :op").bind("op", operationId).execute();
      return ended == 0 ? Optional.<Operation>empty() : find(h, operationId);
    });
  }

  public Optional<Operation> find(String operationId) {
    return jdbi.withHandle(h -> find(h, operationId));
  }

  /** An instance's operations, newest first. */
  public List<Operation> list(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM operations WHERE ins_id = :i ORDER BY seq DESC")
        .bind("i", instanceId).map((rs, ctx) -> row(rs)).list());
  }

  private static Optional<Operation> find(Handle h, String operationId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM operations WHERE op_id = :op").bind("op", operationId)
        .map((rs, ctx) -> row(rs)).findOne();
  }

  private static Operation row(java.sql.ResultSet rs) throws java.sql.SQLException {
    java.sql.Timestamp finished = rs.getTimestamp("finished_at");
    return new Operation(rs.getString("op_id"), rs.getString("ins_id"), rs.getInt("seq"), OperationType.of(rs.getString("op_type")),
        Trigger.of(rs.getString("trigger_kind")), TaskStatus.of(rs.getString("status")), rs.getString("params_json"),
        rs.getString("error_message"), rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant());
  }
}

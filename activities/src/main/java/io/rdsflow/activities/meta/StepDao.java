package io.rdsflow.activities.meta;

import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.StepStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code tasks} and {@code task_steps}: the persisted progress of every workflow run, and the one record of
 * step state (the workflows keep none). Statuses and roles are the domain enums; the columns hold their
 * strings ({@link StepStatus#name()}, {@link TaskStatus#wire()}, {@link Role#wire()}).
 */
public final class StepDao {
  /** A persisted step record. */
  public record StepRow(int seq, String name, Role role, StepStatus status, int attempt, Instant startedAt,
      Instant finishedAt, String message) {
    /** Neither PENDING nor RUNNING. */
    public boolean done() {
      return status != StepStatus.PENDING && status != StepStatus.RUNNING;
    }
  }

  /** A persisted task; {@code kind} is {@code create}, {@code delete}... */
  public record Task(String workflowId, String instanceId, String kind, TaskStatus status, String errorMessage, Instant createdAt) {}

  private final Jdbi jdbi;

  public StepDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Inserts the task and its plan (PENDING or SKIPPED rows) inside the caller's transaction. */
  public static void insertTask(Handle h, String workflowId, String instanceId, String kind, List<PlannedStep> plan) {
    h.createUpdate("INSERT INTO tasks(workflow_id, ins_id, kind, status) VALUES (:w, :i, :k, :s)")
        .bind("w", workflowId).bind("i", instanceId).bind("k", kind).bind("s", TaskStatus.RUNNING.wire()).execute();
    var batch = h.prepareBatch("INSERT INTO task_steps(workflow_id, seq, step_name, role, status, message) "
        + "VALUES (:w, :seq, :name, :role, :status, :message)");
    for (PlannedStep p : plan) {
      batch.bind("w", workflowId).bind("seq", p.seq()).bind("name", p.name()).bind("role", p.role().wire())
          .bind("status", (p.skipped() ? StepStatus.SKIPPED : StepStatus.PENDING).name()).bind("message", p.skipReason()).add();
    }
    if (!plan.isEmpty()) {
      batch.execute();
    }
  }

  public void markRunning(String workflowId, int seq, int attempt) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE task_steps SET status = :r, attempt = :a, "
            + "started_at = COALESCE(started_at, CURRENT_TIMESTAMP(3)), finished_at = NULL, message = NULL "
            + "WHERE workflow_id = :w AND seq = :s")
        .bind("w", workflowId).bind("s", seq).bind("a", attempt).bind("r", StepStatus.RUNNING.name()).execute());
  }

  public void markFinished(String workflowId, int seq, StepStatus status, String message) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE task_steps SET status = :st, finished_at = CURRENT_TIMESTAMP(3), "
            + "message = :m WHERE workflow_id = :w AND seq = :s")
        .bind("w", workflowId).bind("s", seq).bind("st", status.name()).bind("m", truncate(message)).execute());
  }

  /** After a complete compensation: every succeeded step of the task is COMPENSATED, a running one FAILED. */
  public void markCompensated(String workflowId) {
    jdbi.useHandle(h -> {
      h.createUpdate("UPDATE task_steps SET status = :c WHERE workflow_id = :w AND status = :s")
          .bind("w", workflowId).bind("c", StepStatus.COMPENSATED.name()).bind("s", StepStatus.SUCCEEDED.name()).execute();
      failRunning(h, workflowId);
    });
  }

  /**
   * After a compensation that left something behind: the succeeded steps stay SUCCEEDED, their message
   * saying {@code not compensated: <problem>} before what it said; a running one FAILED.
   */
  public void markNotCompensated(String workflowId, String problem) {
    jdbi.useHandle(h -> {
      h.createUpdate("UPDATE task_steps SET message = CASE WHEN message IS NULL OR message = '' THEN :m "
              + "ELSE CONCAT(:m, ' (was: ', message, ')') END WHERE workflow_id = :w AND status = :s")
          .bind("w", workflowId).bind("m", truncate("not compensated: " + problem)).bind("s", StepStatus.SUCCEEDED.name())
          .execute();
      failRunning(h, workflowId);
    });
  }

  private static void failRunning(Handle h, String workflowId) {
    h.createUpdate("UPDATE task_steps SET status = :f, finished_at = CURRENT_TIMESTAMP(3), "
            + "message = COALESCE(message, 'interrupted') WHERE workflow_id = :w AND status = :r")
        .bind("w", workflowId).bind("f", StepStatus.FAILED.name()).bind("r", StepStatus.RUNNING.name()).execute();
  }

  /** The workflow is gone: a running step is FAILED as interrupted. */
  public void markInterrupted(String workflowId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE task_steps SET status = :f, finished_at = CURRENT_TIMESTAMP(3), "
            + "message = 'interrupted' WHERE workflow_id = :w AND status = :r")
        .bind("w", workflowId).bind("f", StepStatus.FAILED.name()).bind("r", StepStatus.RUNNING.name()).execute());
  }

  public void setTaskStatus(String workflowId, TaskStatus status, String error) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE tasks SET status = :s, error_message = :e WHERE workflow_id = :w")
        .bind("w", workflowId).bind("s", status.wire()).bind("e", truncate(error)).execute());
  }

  public List<StepRow> steps(String workflowId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT seq, step_name, role, status, attempt, started_at, finished_at, "
            + "message FROM task_steps WHERE workflow_id = :w ORDER BY seq")
        .bind("w", workflowId)
        .map((rs, ctx) -> new StepRow(rs.getInt(1), rs.getString(2), role(rs.getString(3)), StepStatus.valueOf(rs.getString(4)),
            rs.getInt(5),
            rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant(),
            rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(), rs.getString(8)))
        .list());
  }

  public Optional<Task> latestTask(String instanceId, String kind) {
    return jdbi.withHandle(h -> h.createQuery("SELECT workflow_id, ins_id, kind, status, error_message, created_at "
            + "FROM tasks WHERE ins_id = :i AND kind = :k ORDER BY created_at DESC LIMIT 1")
        .bind("i", instanceId).bind("k", kind)
        .map(StepDao::task)
        .findOne());
  }

  /** Tasks the metadata says are running. */
  public List<Task> running() {
    return jdbi.withHandle(h -> h.createQuery("SELECT workflow_id, ins_id, kind, status, error_message, created_at "
            + "FROM tasks WHERE status = :s")
        .bind("s", TaskStatus.RUNNING.wire())
        .map(StepDao::task)
        .list());
  }

  private static Task task(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
    return new Task(rs.getString(1), rs.getString(2), rs.getString(3), TaskStatus.of(rs.getString(4)), rs.getString(5),
        rs.getTimestamp(6).toInstant());
  }

  /** The role of a row: its wire string, or (rows written while plans bound the enum itself) its name. */
  private static Role role(String stored) {
    for (Role r : Role.values()) {
      if (r.wire().equals(stored) || r.name().equals(stored)) {
        return r;
      }
    }
    throw new IllegalStateException("unknown role in task_steps: " + stored);
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 4000 ? s : s.substring(0, 4000) + "...";
  }
}

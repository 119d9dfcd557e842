package io.rdsflow.workflows.steps;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.Set;

/**
 * Timeouts and retries per step. Every step heartbeats while it runs (the activities' {@code KeepAlive}
 * every 2 s), so the death of the worker running it is noticed within {@link #HEARTBEAT_TIMEOUT} and the
 * step is retried on a live worker; start-to-close only bounds a step that hangs. Long steps (server
 * initialisation and start, replication catch-up, time zone load, backups, cloud waits) may take up to an
 * hour. A cancelled workflow waits for its running step to stop before compensating.
 *
 * <p><b>What is retried.</b> One rule for every activity of these options: a condition that retrying cannot
 * fix (bad parameters, a port held by a foreign process, a directory that is not the instance's, no free
 * port left, the cloud refusing a request) throws the activities' {@code StepFailure}, which is not
 * retried: the step is attempted exactly once and fails at once, as its siblings do. {@code StepRunner}
 * reports it as an {@code ApplicationFailure} of type {@value #NON_RETRYABLE}; thrown from an activity
 * outside a StepRunner (cleanup, lifecycle) it arrives as type {@value #STEP_FAILURE}; both types are in
 * {@code doNotRetry}. Every other exception, {@code IllegalStateException} included (a cloud instance "not
 * Running yet", a lost connection), is taken as transient and retried: {@link #RETRY_ATTEMPTS} attempts for a
 * step, until the schedule-to-close timeout for a cleanup.
 */
public final class StepOptions {
  private static final Set<String> LONG_STEPS = Set.of(
      "do_init_mysql_db_master", "do_init_mysql_db_slave",
      "rdsflow_restore_backup_master", "rdsflow_restore_backup_slave", "rdsflow_roll_forward_master", "rdsflow_roll_forward_slave",
      "do_check_start_instance_success_master", "do_check_start_instance_success_slave",
      "do_check_slave_master", "do_check_slave_slave",
      "do_insert_time_zone_tables", "do_start_create_new_backup",
      "do_create_single_tenant_ins_and_wait_finish", "do_build_params", "do_create_accounts", "do_create_dbs",
      "rdsflow_remove_node", "rdsflow_delete_cloud_instance", "rdsflow_take_full_backup",
      "rdsflow_copy_master_for_rebuild", "rdsflow_restore_node_from_copy", "rdsflow_restart_node",
      "rdsflow_wait_cloud_running", "rdsflow_modify_cloud_parameters", "rdsflow_wait_cloud_spec",
      "rdsflow_clone_db_instance", "rdsflow_wait_cloud_backup");

  /** The failure type of a {@code StepFailure} reported by {@code StepRunner} (and by the cleanups). */
  public static final String NON_RETRYABLE = "NonRetryable";
  /** The failure type of a {@code StepFailure} thrown by an activity that does not translate it (its class name). */
  public static final String STEP_FAILURE = "io.rdsflow.activities.steps.StepFailure";
  /** Attempts of a step before its failure is final. */
  public static final int RETRY_ATTEMPTS = 6;

  /**
   * How long an operation step may wait for a worker of its queue: a host whose agent does not answer
   * within it is unreachable, and the step fails instead of holding the instance's operation lock.
   */
  public static final Duration OPERATION_SCHEDULE_TO_START = Duration.ofSeconds(60);

  /** How long a step may go without a heartbeat before Temporal retries it elsewhere. */
  public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  private static final RetryOptions RETRY = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofSeconds(1))
      .setBackoffCoefficient(2)
      .setMaximumInterval(Duration.ofSeconds(30))
      .setMaximumAttempts(RETRY_ATTEMPTS)
      .setDoNotRetry(NON_RETRYABLE, STEP_FAILURE)
      .build();

  private StepOptions() {}

  public static boolean isLong(String step) {
    return LONG_STEPS.contains(step);
  }

  public static ActivityOptions forStep(String step, String taskQueue) {
    ActivityOptions.Builder b = ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setRetryOptions(RETRY)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setStartToCloseTimeout(isLong(step) ? Duration.ofMinutes(60) : Duration.ofMinutes(2));
    return b.build();
  }

  /** An operation step: as {@link #forStep}, and failed when no worker of its queue takes it within a minute. */
  public static ActivityOptions forOperationStep(String step, String taskQueue) {
    return ActivityOptions.newBuilder(forStep(step, taskQueue)).setScheduleToStartTimeout(OPERATION_SCHEDULE_TO_START).build();
  }

  /**
   * A seed step on the control queue (metadata rows only) run as a local activity: inside the workflow
   * task of the worker that runs the workflow, so a stage of bookkeeping costs no round trip through the
   * task queues. A worker that dies mid-step loses the workflow task, which times out and is replayed
   * by another worker, running the (idempotent) step again.
   */
  public static LocalActivityOptions localControl() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RETRY)
        .build();
  }

  /**
   * Bookkeeping on the control queue (status rows, no heartbeat): a few metadata statements, so a short
   * start-to-close timeout is how the death of its worker is noticed.
   */
  public static ActivityOptions control() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(io.rdsflow.workflows.TaskQueues.CONTROL)
        .setRetryOptions(RETRY)
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** Compensation and removal: retried for up to 10 minutes, then given up and reported. */
  public static ActivityOptions cleanup(String taskQueue) {
    return ActivityOptions.newBuilder(forStep("rdsflow_remove_node", taskQueue))
        .setScheduleToCloseTimeout(Duration.ofMinutes(10))
        .setRetryOptions(RetryOptions.newBuilder(RETRY).setMaximumAttempts(0).build())
        .build();
  }

  /**
   * Deleting a cloud instance, on the {@code aliyun} queue: one still being created is waited for first,
   * so it is retried for up to two hours before compensation gives up and reports it.
   */
  public static ActivityOptions cloudCleanup() {
    return ActivityOptions.newBuilder(cleanup(io.rdsflow.workflows.TaskQueues.ALIYUN))
        .setScheduleToCloseTimeout(Duration.ofHours(2))
        .setHeartbeatTimeout(Duration.ofSeconds(30)) // it heartbeats between cloud calls; one call may take 15 s
        .build();
  }
}

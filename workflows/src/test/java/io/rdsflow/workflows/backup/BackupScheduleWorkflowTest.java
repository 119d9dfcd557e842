package io.rdsflow.workflows.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.activities.BackupScheduleControl;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.domain.Trigger;
import io.rdsflow.workflows.operate.OperationInput;
import io.rdsflow.workflows.operate.OperationResult;
import io.rdsflow.workflows.operate.OperationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schedule against fake activities with time skipping: it sleeps until the preferred time (UTC), runs the
 * backup as a child operation, applies retention, and goes on the next day; a busy instance is tried again later.
 */
class BackupScheduleWorkflowTest {
  static final List<String> CALLS = new CopyOnWriteArrayList<>();

  private TestWorkflowEnvironment env;
  private final AtomicInteger busyClaims = new AtomicInteger();
  private final AtomicInteger days = new AtomicInteger(2);

  /** The child operation: records when it ran (workflow time). */
  public static class FakeOperation implements OperationWorkflow {
    @Override
    public OperationResult run(OperationInput in) {
      CALLS.add("backup " + in.operationId() + " at " + Instant.ofEpochMilli(Workflow.currentTimeMillis())
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)); // the activities before it take a few real milliseconds
      return new OperationResult(TaskStatus.SUCCEEDED, null, null);
    }
  }

  final class FakeControl implements BackupScheduleControl {
    private int ops;

    @Override
    public BackupSchedule schedule(String instanceId) {
      CALLS.add("schedule");
      return new BackupSchedule(days.get() <= 0, true, "02:30", 7);
    }

    @Override
    public OperationInput claimAutoBackup(String instanceId) {
      if (busyClaims.getAndDecrement() > 0) {
        CALLS.add("busy at " + env.currentTimeMillis() / 1000 % 86_400);
        return null;
      }
      ops++;
      return new OperationInput(instanceId, "op-" + instanceId + "-" + ops, OperationType.BACKUP, Trigger.AUTO, List.of(),
          List.of(), Integer.MAX_VALUE, Integer.MAX_VALUE, Map.of("master", "h1", "slave", "h2"));
    }

    @Override
    public String applyRetention(String instanceId) {
      CALLS.add("retention");
      days.decrementAndGet();
      return "ok";
    }
  }

  @BeforeEach
  void start() {
    CALLS.clear();
    env = TestWorkflowEnvironment.newInstance();
    var control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(BackupScheduleWorkflowImpl.class, FakeOperation.class);
    control.registerActivitiesImplementations(new FakeControl());
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void backsUpAtThePreferredTimeEveryDayThenAppliesRetention() {
    long start = env.currentTimeMillis();
    run();
    List<String> backups = CALLS.stream().filter(c -> c.startsWith("backup")).toList();
    assertThat(backups).hasSize(2);
    assertThat(backups.get(0)).endsWith("T02:30:00Z").contains("op-rl-1-1");
    assertThat(backups.get(1)).endsWith("T02:30:00Z").contains("op-rl-1-2");
    assertThat(Instant.parse(backups.get(1).substring(backups.get(1).lastIndexOf(' ') + 1)))
        .isEqualTo(Instant.parse(backups.get(0).substring(backups.get(0).lastIndexOf(' ') + 1)).plus(Duration.ofDays(1)));
    assertThat(CALLS.stream().filter(c -> c.equals("retention")).count()).isEqualTo(2);
    long first = Instant.parse(backups.get(0).substring(backups.get(0).lastIndexOf(' ') + 1)).toEpochMilli();
    assertThat(first - start).as("the first backup at the next 02:30").isBetween(0L, Duration.ofDays(1).toMillis());
  }

  @Test
  void aBusyInstanceIsTriedAgainFiveMinutesLater() {
    busyClaims.set(2);
    days.set(1);
    run();
    assertThat(CALLS).filteredOn(c -> c.startsWith("busy")).hasSize(2);
    List<String> backups = CALLS.stream().filter(c -> c.startsWith("backup")).toList();
    assertThat(backups).hasSize(1);
    assertThat(backups.get(0)).endsWith("T02:40:00Z");
  }

  private void run() {
    BackupScheduleWorkflow wf = env.getWorkflowClient().newWorkflowStub(BackupScheduleWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(BackupScheduleWorkflow.workflowId("rl-1")).setTaskQueue(TaskQueues.CONTROL)
            .build());
    WorkflowClient.execute(wf::run, "rl-1").join();
  }
}

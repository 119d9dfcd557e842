package io.rdsflow.workflows.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A round given up (its {@code collect_round} failed: timed out, cancelled, its worker gone) counts every
 * listed target failed as interrupted and is recorded like any round; a round that ends is recorded by its
 * activity and not again.
 */
class CollectionWorkflowTest {
  private TestWorkflowEnvironment env;
  private final Activities activities = new Activities();

  /** Two rounds of group {@code local} with targets t1 and t2, the first one given up; then the group is gone. */
  static final class Activities implements CollectionActivities {
    final AtomicInteger rounds = new AtomicInteger();
    final List<RoundSummary> recorded = new CopyOnWriteArrayList<>();

    @Override
    public List<String> listTargets(String group) {
      return List.of("t1", "t2");
    }

    @Override
    public RoundSummary collectRound(String group, long round, List<String> targets, long periodMillis) {
      if (rounds.incrementAndGet() == 1) {
        throw ApplicationFailure.newNonRetryableFailure("activity Heartbeat timeout", "TimeoutFailure");
      }
      return new RoundSummary(group, round, 0, 5, targets.size(), 0, Map.of());
    }

    @Override
    public void recordRound(RoundSummary summary) {
      recorded.add(summary);
    }

    @Override
    public boolean groupExists(String group) {
      return rounds.get() < 2; // gone after two rounds: the run after continue-as-new stops
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.COLLECT);
    worker.registerWorkflowImplementationTypes(CollectionWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aGivenUpRoundCountsEveryTargetFailedAsInterruptedAndIsRecorded() {
    CollectionWorkflow loop = env.getWorkflowClient().newWorkflowStub(CollectionWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.COLLECT).setWorkflowId(CollectionWorkflow.workflowId("local")).build());
    loop.run(new CollectionInput("local", 10_000, 2, 1)); // two rounds, continue-as-new, the group is gone

    assertThat(activities.rounds.get()).isEqualTo(2);
    assertThat(activities.recorded).hasSize(1);
    RoundSummary given = activities.recorded.get(0);
    assertThat(given.round()).isEqualTo(1);
    assertThat(given.ok()).isZero();
    assertThat(given.failed()).isEqualTo(2);
    assertThat(given.errors()).containsOnlyKeys("t1", "t2");
    assertThat(given.errors().values()).allSatisfy(e -> assertThat(e).startsWith("interrupted").contains("Heartbeat timeout"));
  }
}

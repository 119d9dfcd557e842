package io.rdsflow.workflows.collect;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.steps.StepOptions;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * List targets, collect them, sleep the rest of the period; continue as new every
 * {@code roundsPerRun} rounds so the history stays short. A failed round is logged and the loop goes
 * on: one bad round never stops the group.
 */
public class CollectionWorkflowImpl implements CollectionWorkflow {
  private static final Logger LOG = Workflow.getLogger(CollectionWorkflowImpl.class);

  private RoundSummary last;

  @Override
  public void run(CollectionInput in) {
    ActivityOptions listing = ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.COLLECT)
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
        .build();
    ActivityOptions collecting = ActivityOptions.newBuilder(listing)
        .setStartToCloseTimeout(Duration.ofMillis(Math.max(in.periodMillis() * 4, 120_000)))
        // a round on a dead worker is given up within half a period (at least 5 s), so the next round on a
        // live worker starts within two periods of the death
        .setHeartbeatTimeout(Duration.ofMillis(Math.max(5_000, Math.min(StepOptions.HEARTBEAT_TIMEOUT.toMillis(), in.periodMillis() / 2))))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
    CollectionActivities list = Workflow.newActivityStub(CollectionActivities.class, listing);
    CollectionActivities collect = Workflow.newActivityStub(CollectionActivities.class, collecting);
    long round = in.nextRound();
    for (int i = 0; i < in.roundsPerRun(); i++, round++) {
      long start = Workflow.currentTimeMillis();
      try {
        if (!list.groupExists(in.group())) {
          LOG.info("collection group {} no longer exists; stopping", in.group());
          return;
        }
        List<String> targets = list.listTargets(in.group());
        last = collect.collectRound(in.group(), round, targets, in.periodMillis());
      } catch (ActivityFailure e) {
        last = new RoundSummary(in.group(), round, start, Workflow.currentTimeMillis() - start, 0, 0,
            Map.of("(round)", String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage())));
        LOG.warn("collection round {} of {} failed: {}", round, in.group(), e.getMessage());
      }
      long elapsed = Workflow.currentTimeMillis() - start;
      Workflow.sleep(Duration.ofMillis(Math.max(in.periodMillis() - elapsed, 10)));
    }
    Workflow.continueAsNew(new CollectionInput(in.group(), in.periodMillis(), in.roundsPerRun(), round));
  }

  @Override
  public RoundSummary lastRound() {
    return last;
  }
}

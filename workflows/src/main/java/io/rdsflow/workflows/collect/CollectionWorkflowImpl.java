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
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * List targets, collect them, sleep the rest of the period; continue as new every
 * {@code roundsPerRun} rounds so the history stays short. A failed round is logged and the loop goes
 * on: one bad round never stops the group. A round given up after its targets were listed (the collecting
 * activity timed out or was cancelled) counts every target failed as {@code interrupted} and is recorded
 * like any other round ({@code GET /v1/collections}, {@code rdsflow_collection_targets}).
 */
public class CollectionWorkflowImpl implements CollectionWorkflow {
  private static final Logger LOG = Workflow.getLogger(CollectionWorkflowImpl.class);
  /**
   * Change id of {@code Workflow.getVersion}: a round given up after its targets were listed counts every
   * target failed as {@link #INTERRUPTED} and records that round ({@code collect_record_round}).
   */
  static final String INTERRUPTED_ROUND_RECORDED = "interrupted-round-recorded";
  /** The error of a target whose round was given up. */
  public static final String INTERRUPTED = "interrupted";

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
      List<String> targets = null;
      try {
        if (!list.groupExists(in.group())) {
          LOG.info("collection group {} no longer exists; stopping", in.group());
          return;
        }
        targets = list.listTargets(in.group());
        last = collect.collectRound(in.group(), round, targets, in.periodMillis());
      } catch (ActivityFailure e) {
        String cause = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        LOG.warn("collection round {} of {} failed: {}", round, in.group(), e.getMessage());
        if (targets != null && !targets.isEmpty()
            && Workflow.getVersion(INTERRUPTED_ROUND_RECORDED, Workflow.DEFAULT_VERSION, 1) >= 1) {
          last = interrupted(in.group(), round, start, targets, cause);
          recordQuietly(list, last);
        } else {
          last = new RoundSummary(in.group(), round, start, Workflow.currentTimeMillis() - start, 0, 0, Map.of("(round)", cause));
        }
      }
      long elapsed = Workflow.currentTimeMillis() - start;
      Workflow.sleep(Duration.ofMillis(Math.max(in.periodMillis() - elapsed, 10)));
    }
    Workflow.continueAsNew(new CollectionInput(in.group(), in.periodMillis(), in.roundsPerRun(), round));
  }

  /** A round given up after listing {@code targets}: each failed as interrupted, none ok. */
  private static RoundSummary interrupted(String group, long round, long start, List<String> targets, String cause) {
    Map<String, String> errors = new TreeMap<>();
    targets.forEach(t -> errors.put(t, INTERRUPTED + " (" + cause + ")"));
    return new RoundSummary(group, round, start, Workflow.currentTimeMillis() - start, 0, errors.size(), errors);
  }

  /** Records a given-up round; a recording that fails too is only logged: the next round overwrites it. */
  private static void recordQuietly(CollectionActivities list, RoundSummary summary) {
    try {
      list.recordRound(summary);
    } catch (ActivityFailure e) {
      LOG.warn("collection round {} of {} could not be recorded: {}", summary.round(), summary.group(), e.getMessage());
    }
  }

  @Override
  public RoundSummary lastRound() {
    return last;
  }
}

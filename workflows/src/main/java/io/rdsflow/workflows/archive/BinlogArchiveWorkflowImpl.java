package io.rdsflow.workflows.archive;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.activities.ArchiveControl;
import io.rdsflow.workflows.activities.BinlogArchiver;
import io.rdsflow.workflows.steps.StepOptions;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * The archive loop: each round reads which node serves as master now (it follows switchovers and failovers)
 * and runs one archive round on that node's host, then sleeps the interval. A round that fails (host down,
 * server stopped) is logged and the next round tries again. Continues as new every {@link #ROUNDS} rounds.
 */
public class BinlogArchiveWorkflowImpl implements BinlogArchiveWorkflow {
  static final int ROUNDS = 100;
  private static final Logger LOG = Workflow.getLogger(BinlogArchiveWorkflowImpl.class);

  private final ArchiveControl control = Workflow.newActivityStub(ArchiveControl.class, StepOptions.control());

  @Override
  public void archive(ArchiveInput in) {
    for (int round = 0; round < ROUNDS; round++) {
      ArchiveTarget t = control.archiveTarget(in.instanceId());
      if (t.gone()) {
        return;
      }
      if (t.host() != null) {
        try {
          archiver(t.host()).archiveBinlogs(in, t.writer());
        } catch (ActivityFailure e) {
          LOG.warn("binlog archive round of {} failed: {}", in.instanceId(), e.getCause() == null ? e.getMessage()
              : e.getCause().getMessage());
        }
      }
      Workflow.sleep(Duration.ofMillis(in.intervalMillis()));
    }
    Workflow.continueAsNew(in);
  }

  private static BinlogArchiver archiver(String host) {
    return Workflow.newActivityStub(BinlogArchiver.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(host))
        .setScheduleToStartTimeout(Duration.ofSeconds(30))
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setHeartbeatTimeout(StepOptions.HEARTBEAT_TIMEOUT)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }
}

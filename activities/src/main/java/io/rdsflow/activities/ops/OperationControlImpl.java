package io.rdsflow.activities.ops;

import com.codahale.metrics.MetricRegistry;
import io.rdsflow.activities.meta.NodeRoles;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.activities.metrics.MetricNames;
import io.rdsflow.workflows.activities.OperationControl;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.operate.OperationPlans;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The metadata side of operations: serving roles, rebuild marks, and the end of an operation. */
public final class OperationControlImpl implements OperationControl {
  private static final Logger LOG = LoggerFactory.getLogger(OperationControlImpl.class);

  private final Jdbi jdbi;
  private final OperationSteps steps;
  private final NodeRoles roles;
  private final OperationDao operations;
  private final MetricRegistry metrics;

  public OperationControlImpl(Jdbi jdbi, OperationSteps steps, MetricRegistry metrics) {
    this.jdbi = jdbi;
    this.steps = steps;
    this.roles = new NodeRoles(jdbi);
    this.operations = new OperationDao(jdbi);
    this.metrics = metrics;
  }

  @Override
  public OperationStepResult swapRoles(OperationStepInput in) {
    return steps.run(in, () -> {
      // idempotent on retry: the writer the earlier steps opened is the one that must serve as master
      String opened = in.facts().get(OperationPlans.FACT_OPENED);
      if (opened != null && roles.writer(in.instanceId()).wire().equals(opened)) {
        return OperationStepResult.of("node " + opened + " serves as master already");
      }
      return OperationStepResult.of("node " + roles.swap(in.instanceId()) + " serves as master now");
    });
  }

  @Override
  public OperationStepResult markNodeForRebuild(OperationStepInput in) {
    return steps.run(in, () -> {
      roles.markForRebuild(in.instanceId(), in.node(), true);
      return OperationStepResult.of("node " + in.node() + " must be rebuilt before it serves again");
    });
  }

  @Override
  public OperationStepResult clearRebuildMark(OperationStepInput in) {
    return steps.run(in, () -> {
      roles.markForRebuild(in.instanceId(), in.node(), false);
      return OperationStepResult.of("node " + in.node() + " is rebuilt: it may serve again");
    });
  }

  @Override
  public void finish(String instanceId, String operationId, TaskStatus status, String error) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE task_steps SET status = 'SKIPPED', message = :m "
            + "WHERE workflow_id = :w AND status = 'PENDING'")
        .bind("m", status == TaskStatus.SUCCEEDED ? "not needed" : "not run").bind("w", operationId).execute());
    if (status != TaskStatus.SUCCEEDED) { // a backup the operation was taking when it failed or was lost
      new io.rdsflow.activities.meta.BackupDao(jdbi).failRunning(operationId, error);
    }
    operations.finish(operationId, status, error).ifPresent(op -> {
      String result = status == TaskStatus.SUCCEEDED ? "succeeded" : "failed";
      metrics.meter(MetricRegistry.name("rdsflow", "operations", op.type().wire(), op.trigger().wire(), result)).mark();
      Duration took = Duration.between(op.startedAt(), op.finishedAt() == null ? Instant.now() : op.finishedAt());
      metrics.timer(MetricRegistry.name("rdsflow", "operation", "duration", MetricNames.segment(op.type().wire())))
          .update(took.toNanos(), TimeUnit.NANOSECONDS);
      if (status == TaskStatus.SUCCEEDED) {
        LOG.info("[{}] operation {} ({}, {}) succeeded in {} ms", instanceId, operationId, op.type(), op.trigger(), took.toMillis());
      } else {
        LOG.error("[{}] operation {} ({}, {}) failed after {} ms: {}", instanceId, operationId, op.type(), op.trigger(),
            took.toMillis(), error);
      }
    });
  }
}

package io.rdsflow.activities.ops;

import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.domain.Trigger;
import io.rdsflow.workflows.operate.OperationInput;
import io.rdsflow.workflows.operate.OperationPlans;
import io.rdsflow.workflows.operate.OperationWorkflow;
import io.rdsflow.workflows.steps.PlannedStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Claims an instance for an operation in one transaction: its lock, its {@code operations} row and its
 * step rows. The REST API and automatic failover both start operations through here.
 */
public final class OperationClaims {
  /** At most one automatic failover per instance in this window (a flapping instance alerts instead). */
  public static final java.time.Duration AUTO_FAILOVER_WINDOW = java.time.Duration.ofMinutes(10);

  private OperationClaims() {}

  /**
   * @return the operation's input, ready to start, or empty when the instance is not RUNNING, another
   *     operation holds it, or (automatic failover) it failed over automatically within {@link #AUTO_FAILOVER_WINDOW}
   */
  public static Optional<OperationInput> claim(Jdbi jdbi, String instanceId, OperationType type, Trigger trigger,
      OperationPlans.Plan plan, Map<String, String> hosts, String paramsJson) {
    return jdbi.inTransaction(h -> {
      boolean autoFailover = trigger == Trigger.AUTO && type == OperationType.FAILOVER; // the window is for failovers only
      if (autoFailover && !OperationDao.autoFailoverAllowed(h, instanceId, AUTO_FAILOVER_WINDOW)) {
        return Optional.empty();
      }
      int n = OperationDao.nextSeq(h, instanceId);
      String id = OperationWorkflow.operationId(instanceId, n);
      if (!OperationDao.lock(h, instanceId, id)) {
        return Optional.empty();
      }
      if (autoFailover) {
        OperationDao.recordAutoFailover(h, instanceId);
      }
      OperationDao.insert(h, new OperationDao.Operation(id, instanceId, n, type, trigger, TaskStatus.RUNNING, paramsJson,
          null, null, null));
      List<PlannedStep> rows = new ArrayList<>(plan.steps());
      rows.addAll(plan.undo());
      StepDao.insertTask(h, id, instanceId, "operation", rows);
      return Optional.of(new OperationInput(instanceId, id, type, trigger, plan.steps(), plan.undo(), plan.undoFrom(),
          plan.commitSeq(), hosts));
    });
  }
}

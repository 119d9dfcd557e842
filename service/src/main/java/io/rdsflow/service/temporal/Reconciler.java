package io.rdsflow.service.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.TaskStatus;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up: a task the metadata says is running whose workflow Temporal no longer knows (the
 * embedded Temporal keeps state in memory) is finished by a new workflow instead of being left behind:
 * a lost creation is compensated by {@code RecoverInstanceWorkflow} (what it built is removed, the
 * instance FAILED), a lost deletion is started again (deletion is idempotent).
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  /** A task row is written just before its workflow starts: look twice before calling it lost. */
  private static final long RECHECK_MILLIS = 2000;

  private Reconciler() {}

  /** @return the number of lost tasks taken over */
  public static int run(WorkflowClient client, StepDao steps, InstanceDao instances, OperationDao operations)
      throws InterruptedException {
    List<StepDao.Task> lost = new ArrayList<>();
    for (StepDao.Task task : steps.running()) {
      if (!exists(client, task.workflowId())) {
        lost.add(task);
      }
    }
    if (lost.isEmpty()) {
      return 0;
    }
    Thread.sleep(RECHECK_MILLIS);
    int fixed = 0;
    for (StepDao.Task task : lost) {
      if (exists(client, task.workflowId())) {
        continue;
      }
      Engine engine = instances.find(task.instanceId()).map(InstanceDao.Instance::engine).orElse(null);
      if (engine == null) {
        continue;
      }
      steps.markInterrupted(task.workflowId());
      switch (task.kind()) {
        case "create" -> {
          instances.setStatus(task.instanceId(), InstanceStatus.CREATING, "interrupted: Temporal lost workflow " + task.workflowId()
              + "; removing what it built");
          InstanceWorkflows.startRecovery(client, task.instanceId(), engine, task.workflowId());
          LOG.warn("[{}] creation {} was lost by Temporal: compensating it", task.instanceId(), task.workflowId());
        }
        case "delete" -> {
          InstanceWorkflows.startDelete(client, task.instanceId(), engine);
          LOG.warn("[{}] deletion {} was lost by Temporal: started again", task.instanceId(), task.workflowId());
        }
        case "operation" -> {
          String error = "interrupted: Temporal lost workflow " + task.workflowId() + "; check the instance before the next operation";
          operations.finish(task.workflowId(), TaskStatus.FAILED, error);
          steps.setTaskStatus(task.workflowId(), TaskStatus.FAILED, error);
          LOG.warn("[{}] operation {} was lost by Temporal: FAILED, the instance is free again", task.instanceId(), task.workflowId());
        }
        default -> {
          String error = "interrupted: workflow " + task.workflowId() + " no longer exists in Temporal";
          steps.setTaskStatus(task.workflowId(), TaskStatus.FAILED, error);
          LOG.warn("[{}] {}", task.instanceId(), error);
        }
      }
      fixed++;
    }
    return fixed;
  }

  private static boolean exists(WorkflowClient client, String workflowId) {
    try {
      client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder().setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
      return false;
    }
  }
}

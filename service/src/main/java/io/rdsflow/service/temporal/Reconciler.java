package io.rdsflow.service.temporal;

import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.StepDao;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up: a task the metadata says is running whose workflow Temporal no longer knows (the
 * embedded Temporal keeps state in memory) is marked FAILED, and so is its instance, instead of
 * staying CREATING forever.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private Reconciler() {}

  public static int run(WorkflowClient client, StepDao steps, InstanceDao instances) {
    int fixed = 0;
    for (StepDao.Task task : steps.running()) {
      try {
        client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder().setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(task.workflowId())).build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
        String error = "interrupted: workflow " + task.workflowId() + " no longer exists in Temporal (restarted without persistence)";
        steps.markInterrupted(task.workflowId());
        steps.setTaskStatus(task.workflowId(), "FAILED", error);
        instances.setStatus(task.instanceId(), "FAILED", error);
        LOG.warn("[{}] {}", task.instanceId(), error);
        fixed++;
      }
    }
    return fixed;
  }
}

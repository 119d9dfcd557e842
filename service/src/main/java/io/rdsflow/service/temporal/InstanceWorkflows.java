package io.rdsflow.service.temporal;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.delete.DeleteInstanceWorkflow;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.recover.RecoverInstanceWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.Map;

/** Starts the workflows that act on an existing instance, the same way from the API and from the reconciler. */
public final class InstanceWorkflows {
  private InstanceWorkflows() {}

  /** @return false when that deletion is running already */
  public static boolean startDelete(WorkflowClient client, String instanceId, Engine engine) {
    DeleteInstanceWorkflow wf = client.newWorkflowStub(DeleteInstanceWorkflow.class,
        options(DeleteInstanceWorkflow.workflowId(instanceId), engine));
    try {
      WorkflowClient.start(wf::delete, instanceId);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  /**
   * A deletion asked for again after the previous one FAILED: that run marks the instance FAILED just
   * before it closes, so it may still be closing; wait for it (seconds at most), then start anew.
   *
   * @return false when a deletion is still running after the wait
   */
  public static boolean startDeleteAgain(WorkflowClient client, String instanceId, Engine engine) {
    if (startDelete(client, instanceId, engine)) {
      return true;
    }
    try {
      client.newUntypedWorkflowStub(DeleteInstanceWorkflow.workflowId(instanceId))
          .getResult(10, java.util.concurrent.TimeUnit.SECONDS, String.class);
    } catch (java.util.concurrent.TimeoutException e) {
      return false; // a deletion that is really running
    } catch (RuntimeException ended) {
      // the previous run failed, as expected
    }
    return startDelete(client, instanceId, engine);
  }

  /** @return false when that recovery is running already */
  public static boolean startRecovery(WorkflowClient client, String instanceId, Engine engine, String lostWorkflowId) {
    RecoverInstanceWorkflow wf = client.newWorkflowStub(RecoverInstanceWorkflow.class,
        options(RecoverInstanceWorkflow.workflowId(instanceId), engine));
    try {
      WorkflowClient.start(wf::recover, instanceId, lostWorkflowId);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  private static WorkflowOptions options(String workflowId, Engine engine) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TaskQueues.CONTROL)
        .setMemo(Map.of("engine", engine.wire()))
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY).build();
  }
}

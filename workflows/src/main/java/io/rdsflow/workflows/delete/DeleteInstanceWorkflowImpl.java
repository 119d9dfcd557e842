package io.rdsflow.workflows.delete;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.activities.CloudCleanup;
import io.rdsflow.workflows.activities.HostCleanup;
import io.rdsflow.workflows.activities.InstanceLifecycle;
import io.rdsflow.workflows.steps.StepOptions;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Marks the instance DELETING, removes every node on its host concurrently (for the aliyun engine, named
 * by the workflow's memo {@code engine}: the cloud instance), then marks it DELETED.
 */
public class DeleteInstanceWorkflowImpl implements DeleteInstanceWorkflow {
  private final InstanceLifecycle lifecycle = Workflow.newActivityStub(InstanceLifecycle.class, StepOptions.control());

  @Override
  public String delete(String instanceId) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    Map<String, String> nodes = lifecycle.beginDelete(instanceId, workflowId);
    List<Promise<StepResult>> removals = new ArrayList<>();
    if ("aliyun".equals(Workflow.getMemo("engine", String.class))) {
      CloudCleanup cloud = Workflow.newActivityStub(CloudCleanup.class, StepOptions.cloudCleanup());
      removals.add(Async.function(cloud::deleteCloudInstance, instanceId));
      nodes = Map.of();
    }
    for (Map.Entry<String, String> node : nodes.entrySet()) {
      HostCleanup cleanup = Workflow.newActivityStub(HostCleanup.class,
          StepOptions.cleanup(TaskQueues.host(node.getValue())));
      removals.add(Async.function(cleanup::removeNode, instanceId, node.getKey()));
    }
    Promise.allOf(removals).get();
    lifecycle.finishDelete(instanceId, workflowId);
    return "DELETED";
  }
}

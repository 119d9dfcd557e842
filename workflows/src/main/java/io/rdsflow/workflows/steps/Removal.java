package io.rdsflow.workflows.steps;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.activities.CloudCleanup;
import io.rdsflow.workflows.activities.HostCleanup;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Workflow code shared by compensation, deletion and recovery: removes an instance's cloud instance
 * (aliyun) or every node on its host (local), all at once, and reports what could not be removed.
 */
public final class Removal {
  private Removal() {}

  /**
   * @param cloud whether there is a cloud instance to delete (the aliyun engine)
   * @param nodes role → host of the local nodes to remove
   * @return one line per removal that failed after its retries; empty when everything is gone
   */
  public static List<String> removeAll(String instanceId, boolean cloud, Map<String, String> nodes) {
    List<Promise<StepResult>> removals = new ArrayList<>();
    if (cloud) {
      // the cloud instance may exist even when its step failed (a lost answer): the activity finds out
      CloudCleanup cleanup = Workflow.newActivityStub(CloudCleanup.class, StepOptions.cloudCleanup());
      removals.add(Async.function(cleanup::deleteCloudInstance, instanceId));
    }
    for (Map.Entry<String, String> node : nodes.entrySet()) {
      HostCleanup cleanup = Workflow.newActivityStub(HostCleanup.class, StepOptions.cleanup(TaskQueues.host(node.getValue())));
      removals.add(Async.function(cleanup::removeNode, instanceId, node.getKey()));
    }
    List<String> problems = new ArrayList<>();
    for (Promise<StepResult> removal : removals) {
      try {
        removal.get();
      } catch (ActivityFailure e) {
        problems.add(Failures.describe(e));
      }
    }
    return problems;
  }
}

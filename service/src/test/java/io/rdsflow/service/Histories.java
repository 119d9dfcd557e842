package io.rdsflow.service;

import io.rdsflow.workflows.create.CreateInstanceWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Workflow histories of real runs. Each is replayed against the current workflow code at once; with
 * {@code -Drdsflow.recordHistories=<dir>} it is also written there, which is how the histories under
 * {@code workflows/src/test/resources/histories/} (replayed by the workflows module's ReplayTest, so a
 * change that breaks running workflows fails the build) were recorded.
 */
final class Histories {
  private Histories() {}

  static WorkflowExecutionHistory replayAndMaybeRecord(WorkflowClient client, String workflowId, String name) throws Exception {
    WorkflowExecutionHistory history = client.fetchHistory(workflowId);
    WorkflowReplayer.replayWorkflowExecution(history, CreateInstanceWorkflowImpl.class);
    String dir = System.getProperty("rdsflow.recordHistories");
    if (dir != null && !dir.isBlank()) {
      Path file = Path.of(dir).resolve(name + ".json");
      Files.createDirectories(file.getParent());
      Files.writeString(file, history.toJson(true));
    }
    return history;
  }
}

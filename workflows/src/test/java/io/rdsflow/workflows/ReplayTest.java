package io.rdsflow.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.collect.CollectionWorkflowImpl;
import io.rdsflow.workflows.create.CreateInstanceWorkflowImpl;
import io.rdsflow.workflows.delete.DeleteInstanceWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Recorded histories of real runs replay against today's workflow code: a change that would break
 * workflows running across an upgrade fails here. The {@code previous-*} ones were recorded by the
 * release before the plan travelled in the input (commit a5faeef: a local master-slave creation on real
 * MariaDB, a compensated local creation, an aliyun master-slave creation through the real SDK against the
 * simulator, both deletions, a collection loop); {@code bd6a677-*} by the release before clones (a local
 * master-slave creation, input without {@code restored}); the others by later code (see the service tests'
 * {@code Histories}, {@code -Drdsflow.recordHistories=...}). Workflow changes go behind
 * {@code Workflow.getVersion}.
 */
class ReplayTest {
  @ParameterizedTest
  @CsvSource({
      "previous-create-local-master-slave, create, 300",
      "previous-create-local-compensated, create, 30",
      "previous-create-aliyun-master-slave, create, 50",
      "previous-delete-local, delete, 20",
      "previous-delete-aliyun, delete, 15",
      "previous-collect-local, collect, 100",
      "create-local-master-slave-plan-in-input, create, 50",
      "create-local-master-slave, create, 50",
      "create-aliyun-master-slave, create, 50",
      "bd6a677-create-local-master-slave, create, 50"})
  void recordedHistoryReplays(String name, String workflow, int minEvents) throws Exception {
    String json;
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + name + ".json")) {
      assertThat(in).as("recorded history " + name).isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
    assertThat(history.getEvents()).as("a real run").hasSizeGreaterThan(minEvents);
    Class<?> impl = switch (workflow) {
      case "create" -> CreateInstanceWorkflowImpl.class;
      case "delete" -> DeleteInstanceWorkflowImpl.class;
      default -> CollectionWorkflowImpl.class;
    };
    WorkflowReplayer.replayWorkflowExecution(history, impl);
  }
}

package io.rdsflow.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.create.CreateInstanceWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recorded histories of real creations (a local master-slave pair on real MariaDB, an aliyun
 * master-slave instance through the real SDK against the simulator) replay against today's workflow
 * code: a change that would break creations running across an upgrade fails here. Record new ones with
 * {@code -Drdsflow.recordHistories=...} (see the service tests' {@code Histories}) and guard workflow
 * changes with {@code Workflow.getVersion}.
 */
class ReplayTest {
  @ParameterizedTest
  @ValueSource(strings = {"create-local-master-slave", "create-local-master-slave-plan-in-input", "create-aliyun-master-slave"})
  void recordedCreationReplays(String name) throws Exception {
    String json;
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + name + ".json")) {
      assertThat(in).as("recorded history " + name).isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
    assertThat(history.getEvents()).as("a finished creation").hasSizeGreaterThan(50);
    WorkflowReplayer.replayWorkflowExecution(history, CreateInstanceWorkflowImpl.class);
  }
}

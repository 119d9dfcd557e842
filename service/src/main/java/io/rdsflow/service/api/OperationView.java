package io.rdsflow.service.api;

import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.domain.Trigger;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/operations/{id}}: an operation with its steps in order; kept after the workflow's
 * retention. A step's {@code node} is the node's name (the role it was created with).
 */
public record OperationView(String operationId, String instanceId, OperationType type, Trigger trigger, TaskStatus status,
    String progress, List<Step> steps, String error, Instant startedAt, Instant finishedAt) {

  /** One step record. */
  public record Step(String name, String node, String status, int attempt, Instant startedAt, Instant finishedAt,
      String message) {}
}

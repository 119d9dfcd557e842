package io.rdsflow.service.api;

import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.steps.StepStatus;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/instances/{id}/steps}: the task's step records in plan order, as {@code task_steps} holds
 * them (the one record of step state). The enums serialize as before: {@code "master"}, {@code "SUCCEEDED"},
 * {@code "RUNNING"}.
 */
public record StepsView(String workflowId, String kind, TaskStatus status, String progress, List<Step> steps) {

  /** One step record. */
  public record Step(String name, Role role, StepStatus status, int attempt, Instant startedAt, Instant finishedAt, String message) {}
}

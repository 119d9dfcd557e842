package io.rdsflow.service.api;

import java.time.Instant;
import java.util.List;

/** {@code GET /v1/instances/{id}/steps}: the task's step records in plan order. */
public record StepsView(String workflowId, String kind, String status, String progress, List<Step> steps) {

  /** One step record. */
  public record Step(String name, String role, String status, int attempt, Instant startedAt, Instant finishedAt, String message) {}
}

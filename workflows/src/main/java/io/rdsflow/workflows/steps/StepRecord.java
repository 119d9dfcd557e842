package io.rdsflow.workflows.steps;

import io.rdsflow.workflows.domain.Role;

/** Progress of one step as the workflow sees it; times are epoch milliseconds (0 = not yet). */
public record StepRecord(int seq, String name, Role role, StepStatus status, long startedAt, long finishedAt, String message) {
  public StepRecord with(StepStatus s, long started, long finished, String msg) {
    return new StepRecord(seq, name, role, s, started, finished, msg);
  }
}

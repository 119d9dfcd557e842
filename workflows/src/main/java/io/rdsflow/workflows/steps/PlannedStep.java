package io.rdsflow.workflows.steps;

import io.rdsflow.workflows.domain.Role;

/**
 * One row of a plan: a seed step for one role. {@code seq} orders the rows of a task; steps of
 * one stage share a stage number and run concurrently.
 *
 * @param role serialized as {@code master}, {@code slave} or {@code instance} (the whole instance)
 * @param skipReason why the step does not apply, or null when it runs
 */
public record PlannedStep(int seq, int stage, String name, Role role, Target target, String skipReason) {
  public boolean skipped() {
    return skipReason != null;
  }
}

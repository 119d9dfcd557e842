package io.rdsflow.workflows.steps;

/**
 * One row of a plan: a seed step for one role. {@code seq} orders the rows of a task; steps of
 * one stage share a stage number and run concurrently.
 *
 * @param role {@code master}, {@code slave} or {@code instance} (the whole instance)
 * @param skipReason why the step does not apply, or null when it runs
 */
public record PlannedStep(int seq, int stage, String name, String role, Target target, String skipReason) {
  public boolean skipped() {
    return skipReason != null;
  }
}

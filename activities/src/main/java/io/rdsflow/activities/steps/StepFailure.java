package io.rdsflow.activities.steps;

/**
 * A failure that retrying cannot fix (bad parameters, a port held by a foreign process, no free port left, a
 * directory that is not the instance's...): the step is attempted once and fails at once. Anything else a
 * step throws is taken as transient and retried. The rule, and how both reach Temporal, is written in
 * {@code io.rdsflow.workflows.steps.StepOptions}; {@link StepRunner} reports this as type {@code NonRetryable},
 * an activity outside a StepRunner as this class's name, and neither type is retried.
 */
public final class StepFailure extends RuntimeException {
  public StepFailure(String message) {
    super(message);
  }
}

package io.rdsflow.activities.steps;

/** A failure that retrying cannot fix (bad parameters, a port held by a foreign process...). */
public final class StepFailure extends RuntimeException {
  public StepFailure(String message) {
    super(message);
  }
}

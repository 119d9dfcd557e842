package io.rdsflow.workflows.steps;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/** What a failed activity says, in one line, for step records and instance errors. */
public final class Failures {
  private Failures() {}

  public static String describe(ActivityFailure e) {
    Throwable cause = e.getCause();
    if (cause instanceof ApplicationFailure af) {
      return af.getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure tf) {
      return "timed out (" + tf.getTimeoutType() + ")";
    }
    return cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(cause);
  }
}

package io.rdsflow.workflows.steps;

import java.util.Map;

/**
 * What a step reports: a short message for the step record; {@code skipped} when the step found at
 * run time that it does not apply (a tool missing from the server's binary set); and, from
 * {@code do_init} only, the host chosen for each role.
 */
public record StepResult(String message, Map<String, String> hosts, boolean skipped) {
  public static StepResult of(String message) {
    return new StepResult(message, Map.of(), false);
  }

  public static StepResult skipped(String reason) {
    return new StepResult(reason, Map.of(), true);
  }
}

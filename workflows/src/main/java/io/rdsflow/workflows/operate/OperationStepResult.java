package io.rdsflow.workflows.operate;

import java.util.Map;

/** What an operation step reports: a message for its row and facts for the steps after it. */
public record OperationStepResult(String message, Map<String, String> facts) {
  public static OperationStepResult of(String message) {
    return new OperationStepResult(message, Map.of());
  }
}

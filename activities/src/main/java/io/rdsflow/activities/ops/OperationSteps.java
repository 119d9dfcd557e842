package io.rdsflow.activities.ops;

import io.rdsflow.activities.steps.StepRunner;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.rdsflow.workflows.steps.StepResult;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Runs an operation step through {@link StepRunner}: recorded, timed, counted and heartbeating like a creation step. */
public final class OperationSteps {
  /** The work of an operation step. */
  @FunctionalInterface
  public interface Body {
    OperationStepResult run() throws Exception;
  }

  private final StepRunner runner;

  public OperationSteps(StepRunner runner) {
    this.runner = runner;
  }

  public OperationStepResult run(OperationStepInput in, Body body) {
    AtomicReference<Map<String, String>> facts = new AtomicReference<>(Map.of());
    StepResult r = runner.run(in.row(), () -> {
      OperationStepResult o = body.run();
      facts.set(o.facts() == null ? Map.of() : o.facts());
      return StepResult.of(o.message());
    });
    return new OperationStepResult(r.message(), facts.get());
  }
}

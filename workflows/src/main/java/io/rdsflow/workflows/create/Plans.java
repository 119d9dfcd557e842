package io.rdsflow.workflows.create;

import io.rdsflow.workflows.steps.PlannedStep;
import java.util.List;

/** The plan of an engine. */
public final class Plans {
  private Plans() {}

  public static List<PlannedStep> of(CreateInput in) {
    return switch (in.engine()) {
      case "local" -> LocalPlan.steps(in);
      case "aliyun" -> AliyunPlan.steps(in);
      default -> throw new IllegalArgumentException("no plan for engine " + in.engine());
    };
  }
}

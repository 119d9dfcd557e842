package io.rdsflow.workflows.create;

import io.rdsflow.workflows.steps.PlannedStep;
import java.util.List;

/** The plan of an engine. */
public final class Plans {
  private Plans() {}

  /**
   * The plan of a creation whose input carries none (started before the plan travelled with the input):
   * the plan as it was then, without the final catch-up check, so its recorded history replays.
   */
  public static List<PlannedStep> beforePlanInInput(CreateInput in) {
    List<PlannedStep> then = in.engine() == io.rdsflow.workflows.domain.Engine.LOCAL ? LocalPlan.steps(in, false) : of(in);
    return then.stream().filter(p -> !p.name().equals(LocalPlan.CONFIRM_CAUGHT_UP)).toList();
  }

  /** The current plan of an engine; computed once per creation, by the service. */
  public static List<PlannedStep> of(CreateInput in) {
    return switch (in.engine()) {
      case LOCAL -> LocalPlan.steps(in);
      case ALIYUN -> AliyunPlan.steps(in);
      case EXTERNAL -> throw new IllegalArgumentException("no plan for engine " + in.engine());
    };
  }
}

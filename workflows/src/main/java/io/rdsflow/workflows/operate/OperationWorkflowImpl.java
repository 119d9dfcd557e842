package io.rdsflow.workflows.operate;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.activities.OperationControl;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.steps.Failures;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.StepOptions;
import io.rdsflow.workflows.steps.Target;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an operation's steps one after the other, each on the queue of the node it acts on, passing
 * the facts each step reports to the next. A step failing before {@code commitSeq} runs the undo
 * steps (best effort, each recorded); the operation ends FAILED naming the step. The step rows in
 * {@code task_steps} are the record (the same as creation steps); this workflow keeps no copy.
 */
public class OperationWorkflowImpl implements OperationWorkflow {
  private final OperationControl control = Workflow.newActivityStub(OperationControl.class, StepOptions.control());
  private final Map<String, String> facts = new HashMap<>();

  @Override
  public OperationResult run(OperationInput in) {
    facts.put(OperationPlans.FACT_TRIGGER, in.trigger().wire());
    String failed = null;
    String error = null;
    int failedSeq = 0;
    for (PlannedStep p : in.plan()) {
      try {
        execute(in, p);
      } catch (ActivityFailure e) {
        failed = p.name() + (p.role() == Role.INSTANCE ? "" : " (" + p.role() + ")");
        error = Failures.describe(e);
        failedSeq = p.seq();
        break;
      }
    }
    if (failed == null) {
      control.finish(in.instanceId(), in.operationId(), TaskStatus.SUCCEEDED, null);
      return new OperationResult(TaskStatus.SUCCEEDED, null, null);
    }
    String message = failed + ": " + error;
    if (failedSeq >= in.undoFrom() && failedSeq < in.commitSeq() && !in.undo().isEmpty()) {
      message += undo(in);
    } else if (failedSeq > in.commitSeq()) {
      message += " (after the change took effect: the new roles stand)";
    }
    control.finish(in.instanceId(), in.operationId(), TaskStatus.FAILED, message);
    return new OperationResult(TaskStatus.FAILED, failed, message);
  }

  /** Runs every undo step even when one fails; says what could not be undone. */
  private String undo(OperationInput in) {
    StringBuilder problems = new StringBuilder();
    for (PlannedStep p : in.undo()) {
      try {
        execute(in, p);
      } catch (ActivityFailure e) {
        problems.append("; undo ").append(p.name()).append(" failed: ").append(Failures.describe(e));
      }
    }
    return problems.length() == 0 ? "; undone" : problems.toString();
  }

  private void execute(OperationInput in, PlannedStep p) {
    OperationStepInput input = new OperationStepInput(in.instanceId(), in.operationId(), p.seq(), p.name(), p.role(), Map.copyOf(facts));
    OperationStepResult r = Workflow.newUntypedActivityStub(StepOptions.forOperationStep(p.name(), queue(in, p.target())))
        .execute(p.name(), OperationStepResult.class, input);
    if (r.facts() != null) {
      facts.putAll(r.facts());
    }
  }

  private static String queue(OperationInput in, Target target) {
    return switch (target) {
      case CONTROL -> TaskQueues.CONTROL;
      case ALIYUN -> TaskQueues.ALIYUN;
      case MASTER_HOST -> TaskQueues.host(in.hosts().get(Role.MASTER.wire()));
      case SLAVE_HOST -> TaskQueues.host(in.hosts().get(Role.SLAVE.wire()));
      case NONE -> throw new IllegalStateException("skipped steps are not run");
    };
  }
}

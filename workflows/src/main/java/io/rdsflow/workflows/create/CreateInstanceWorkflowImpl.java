package io.rdsflow.workflows.create;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.activities.InstanceLifecycle;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.Failures;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.Removal;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepOptions;
import io.rdsflow.workflows.steps.StepResult;
import io.rdsflow.workflows.steps.Target;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.ActivityStub;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the plan stage by stage (the rows of a stage concurrently, each on its target's task queue).
 * On a failed step or a cancel, removes what was built in a detached scope and marks the instance
 * FAILED naming the step.
 *
 * <p>Step state has one home, the {@code task_steps} rows: the service writes the plan there, each step's
 * {@code StepRunner} its RUNNING/SUCCEEDED/FAILED/SKIPPED with attempt and message, and
 * {@code rdsflow_mark_instance_failed} the compensation; {@code GET /v1/instances/{id}/steps} reads them.
 * The workflow keeps only what it decides with: the hosts {@code do_init} chose, the abort reason, and
 * the step it stopped at (for the failure message). It records no step state of its own and has no
 * progress query.
 */
public class CreateInstanceWorkflowImpl implements CreateInstanceWorkflow {
  /** Change id of {@code Workflow.getVersion}: the plan comes with the input instead of being computed here. */
  static final String PLAN_IN_INPUT = "plan-in-input";
  /** Change id: seed steps of the control queue run as local activities (no task-queue round trip per stage). */
  static final String CONTROL_STEPS_LOCAL = "control-steps-local";

  private static final String BETWEEN_STEPS = "(between steps)";

  private final InstanceLifecycle lifecycle = Workflow.newActivityStub(InstanceLifecycle.class, StepOptions.control());
  private String abortReason;
  /** The step a cancel is reported at: the stage's first failed step, else the one whose result is awaited. */
  private String stoppedAt = BETWEEN_STEPS;
  /** The running stage when it holds a long step; an abort cancels it instead of waiting for it. */
  private CancellationScope longStage;
  private Map<String, String> hosts = new TreeMap<>();
  private boolean controlStepsLocal;

  /** The step that failed and why. */
  private record Failure(String step, String message) {}

  @Override
  public CreateResult create(CreateInput in) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    // Histories recorded before the plan travelled in the input (no marker) recompute the plan of that time.
    int version = Workflow.getVersion(PLAN_IN_INPUT, Workflow.DEFAULT_VERSION, 1);
    List<PlannedStep> plan = version == Workflow.DEFAULT_VERSION || in.plan() == null ? Plans.beforePlanInInput(in) : in.plan();
    controlStepsLocal = Workflow.getVersion(CONTROL_STEPS_LOCAL, Workflow.DEFAULT_VERSION, 1) == 1;
    Failure failure;
    try {
      failure = runPlan(in, workflowId, plan);
    } catch (CanceledFailure e) {
      failure = new Failure(stoppedAt, "cancelled while running");
    }
    if (failure == null) {
      lifecycle.markInstanceRunning(in.instanceId(), workflowId);
      return new CreateResult(InstanceStatus.RUNNING, null, null);
    }
    Failure f = failure;
    Workflow.newDetachedCancellationScope(() -> compensate(in.instanceId(), in.engine(), workflowId, f)).run();
    return new CreateResult(InstanceStatus.FAILED, f.step(), f.message());
  }

  private Failure runPlan(CreateInput in, String workflowId, List<PlannedStep> plan) {
    Map<Integer, List<PlannedStep>> stages = new LinkedHashMap<>();
    for (PlannedStep p : plan) {
      if (!p.skipped()) {
        stages.computeIfAbsent(p.stage(), k -> new ArrayList<>()).add(p);
      }
    }
    for (List<PlannedStep> stage : stages.values()) {
      if (abortReason != null) {
        return new Failure(stage.get(0).name(), abortReason + " before this step");
      }
      List<Promise<StepResult>> running = new ArrayList<>();
      CancellationScope scope = Workflow.newCancellationScope(() -> {
        for (PlannedStep p : stage) {
          StepInput input = new StepInput(in.instanceId(), workflowId, p.seq(), p.name(), p.role());
          ActivityStub stub = p.target() == Target.CONTROL && controlStepsLocal
              ? Workflow.newUntypedLocalActivityStub(StepOptions.localControl())
              : Workflow.newUntypedActivityStub(StepOptions.forStep(p.name(), queue(p.target())));
          running.add(stub.executeAsync(p.name(), StepResult.class, input));
        }
      });
      scope.run();
      longStage = stage.stream().anyMatch(p -> StepOptions.isLong(p.name())) ? scope : null;
      Failure failure = null;
      for (int i = 0; i < stage.size(); i++) {
        PlannedStep p = stage.get(i);
        if (failure == null) {
          stoppedAt = p.name();
        }
        try {
          StepResult r = running.get(i).get();
          if (!r.hosts().isEmpty()) {
            hosts = new TreeMap<>(r.hosts());
          }
        } catch (ActivityFailure e) {
          if (e.getCause() instanceof CanceledFailure c) {
            throw c;
          }
          String message = Failures.describe(e);
          if (failure == null) {
            failure = new Failure(p.name() + (p.role() == Role.INSTANCE ? "" : " (" + p.role() + ")"), message);
          }
        }
      }
      if (failure != null) {
        return failure;
      }
      stoppedAt = BETWEEN_STEPS;
    }
    return null;
  }

  private void compensate(String instanceId, Engine engine, String workflowId, Failure failure) {
    List<String> problems = Removal.removeAll(instanceId, engine == Engine.ALIYUN, hosts);
    String message = failure.message() + (problems.isEmpty() ? "" : "; cleanup incomplete: " + String.join("; ", problems));
    lifecycle.markInstanceFailed(instanceId, workflowId, failure.step(), message, problems);
  }

  private String queue(Target target) {
    return switch (target) {
      case CONTROL -> TaskQueues.CONTROL;
      case ALIYUN -> TaskQueues.ALIYUN;
      case MASTER_HOST -> TaskQueues.host(hosts.get(Role.MASTER.wire()));
      case SLAVE_HOST -> TaskQueues.host(hosts.get(Role.SLAVE.wire()));
      case NONE -> throw new IllegalStateException("skipped steps are not run");
    };
  }

  @Override
  public void abort(String reason) {
    abortReason = reason;
    if (longStage != null) {
      longStage.cancel(reason); // a long step (waiting for a server or the cloud) is interrupted
    }
  }
}

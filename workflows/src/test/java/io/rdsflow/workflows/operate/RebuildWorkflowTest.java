package io.rdsflow.workflows.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.domain.Trigger;
import io.rdsflow.workflows.steps.StepOptions;
import io.temporal.activity.Activity;
import io.temporal.activity.DynamicActivity;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rebuild plan run by the operation workflow against fake activities: each step on the queue of the
 * host it acts on, the copy's facts passed on, and a failure after the mark leaving the node marked (the
 * mark is cleared only by the last step) while a failed copy never marks it.
 */
class RebuildWorkflowTest {
  private static final Map<String, String> HOSTS = Map.of("master", "h1", "slave", "h2");

  private TestWorkflowEnvironment env;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, String>> factsSeen = new ConcurrentHashMap<>();

  /** Every activity of one queue: records {@code <type>/<node>@<queue>}, fails the types in {@link #failing}. */
  final class Fake implements DynamicActivity {
    private final String queue;

    Fake(String queue) {
      this.queue = queue;
    }

    @Override
    public Object execute(EncodedValues args) {
      String type = Activity.getExecutionContext().getInfo().getActivityType();
      if (type.equals("rdsflow_finish_operation")) {
        calls.add("finish:" + args.get(2, TaskStatus.class));
        return null;
      }
      OperationStepInput in = args.get(0, OperationStepInput.class);
      calls.add(type + "/" + in.node().wire() + "@" + queue);
      factsSeen.put(type, in.facts());
      if (failing.contains(type)) {
        throw ApplicationFailure.newNonRetryableFailure("broken on purpose", StepOptions.NON_RETRYABLE);
      }
      return new OperationStepResult("done", type.equals(OperationPlans.COPY_WRITER)
          ? Map.of(OperationPlans.FACT_COPY, "/shared/op.xb.zst", OperationPlans.FACT_COPY_GTID, "1-11-5") : Map.of());
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    var control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(OperationWorkflowImpl.class);
    control.registerActivitiesImplementations(new Fake(TaskQueues.CONTROL));
    for (String host : List.of("h1", "h2")) {
      env.newWorker(TaskQueues.host(host)).registerActivitiesImplementations(new Fake(TaskQueues.host(host)));
    }
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private OperationResult run(Role writer, Role node) {
    OperationPlans.Plan plan = OperationPlans.rebuild(writer, node);
    OperationInput in = new OperationInput("rl-1", "op-rl-1-1", OperationType.REBUILD, Trigger.API, plan.steps(), plan.undo(),
        plan.undoFrom(), plan.commitSeq(), HOSTS);
    return env.getWorkflowClient().newWorkflowStub(OperationWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(in.operationId()).setTaskQueue(TaskQueues.CONTROL).build()).run(in);
  }

  @Test
  void eachStepRunsOnTheHostOfTheNodeItActsOnAndTheCopyTravelsAsFacts() {
    OperationResult r = run(Role.SLAVE, Role.MASTER); // after a failover: the node named slave writes
    assertThat(r.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(calls).containsExactly(
        "rdsflow_copy_master_for_rebuild/slave@host.h2",
        "rdsflow_mark_node_for_rebuild/master@rdsflow-control",
        "rdsflow_restore_node_from_copy/master@host.h1",
        "rdsflow_replicate_from_rebuilt_node/slave@host.h2",
        "rdsflow_clear_rebuild_mark/master@rdsflow-control",
        "rdsflow_point_proxy/instance@host.h1",
        "finish:SUCCEEDED");
    assertThat(factsSeen.get(OperationPlans.RESTORE_FROM_COPY))
        .containsEntry(OperationPlans.FACT_COPY, "/shared/op.xb.zst").containsEntry(OperationPlans.FACT_COPY_GTID, "1-11-5");
  }

  @Test
  void aFailedRestoreFailsTheOperationNamingTheStepAndLeavesTheNodeMarked() {
    failing.add(OperationPlans.RESTORE_FROM_COPY);
    OperationResult r = run(Role.MASTER, Role.SLAVE);
    assertThat(r.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(r.failedStep()).isEqualTo("rdsflow_restore_node_from_copy (slave)");
    assertThat(r.error()).contains("broken on purpose");
    assertThat(calls).contains("rdsflow_mark_node_for_rebuild/slave@rdsflow-control")
        .noneMatch(c -> c.startsWith(OperationPlans.CLEAR_REBUILD_MARK) || c.startsWith(OperationPlans.FOLLOW_REBUILT_NODE))
        .endsWith("finish:FAILED");
  }

  @Test
  void aFailedCopyLeavesTheNodeAsItWas() {
    failing.add(OperationPlans.COPY_WRITER);
    OperationResult r = run(Role.MASTER, Role.SLAVE);
    assertThat(r.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(r.failedStep()).isEqualTo("rdsflow_copy_master_for_rebuild (master)");
    assertThat(calls).containsExactly("rdsflow_copy_master_for_rebuild/master@host.h1", "finish:FAILED");
  }
}

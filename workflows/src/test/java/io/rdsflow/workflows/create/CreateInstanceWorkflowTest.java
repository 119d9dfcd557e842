package io.rdsflow.workflows.create;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.activities.CloudCleanup;
import io.rdsflow.workflows.activities.HostCleanup;
import io.rdsflow.workflows.activities.InstanceLifecycle;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.Topology;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepOptions;
import io.rdsflow.workflows.steps.StepResult;
import io.rdsflow.workflows.steps.Target;
import io.temporal.activity.Activity;
import io.temporal.activity.DynamicActivity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The creation workflow against mocked activities (TestWorkflowEnvironment): every seed step is answered by a
 * {@link DynamicActivity} on its queue (control, the hosts', aliyun), the cleanups and the lifecycle by fakes
 * that record their calls. The paths a real engine rarely shows: a failed step, an abort during a stage and
 * during a long step, SKIPPED rows, an incomplete cleanup, and which failures are retried.
 */
class CreateInstanceWorkflowTest {
  private static final String ID = "rl-1";
  private static final String H1 = "h1";
  private static final String H2 = "h2";

  /** A small master-slave plan of the local engine's shape; stage 3 is a SKIPPED row, stage 4 a long step. */
  static final List<PlannedStep> PLAN = List.of(
      new PlannedStep(1, 1, "do_init", Role.INSTANCE, Target.CONTROL, null),
      new PlannedStep(2, 2, "do_make_dir", Role.MASTER, Target.MASTER_HOST, null),
      new PlannedStep(3, 2, "do_make_dir", Role.SLAVE, Target.SLAVE_HOST, null),
      new PlannedStep(4, 3, "do_add_rds_ecs_sg_rel", Role.INSTANCE, Target.NONE, "cloud only"),
      new PlannedStep(5, 4, "do_init_mysql_db_master", Role.MASTER, Target.MASTER_HOST, null),
      new PlannedStep(6, 4, "do_init_mysql_db_slave", Role.SLAVE, Target.SLAVE_HOST, null),
      new PlannedStep(7, 5, "do_install_plugin_for55", Role.MASTER, Target.NONE, "only for MySQL 5.5"),
      new PlannedStep(8, 6, "do_create_accounts", Role.MASTER, Target.MASTER_HOST, null),
      new PlannedStep(9, 7, "do_insert_baklist", Role.INSTANCE, Target.CONTROL, null));

  private TestWorkflowEnvironment env;
  /** Everything the activities were asked to do, in order: {@code step:<name>/<role>@<queue>}, {@code remove:...}... */
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  /** What a step does, by name; a step not named succeeds. */
  private final Map<String, Function<StepInput, StepResult>> behaviour = new ConcurrentHashMap<>();
  private final Map<String, RuntimeException> removalFailures = new ConcurrentHashMap<>();
  private final Lifecycle lifecycle = new Lifecycle();

  /** The lifecycle bookkeeping, recorded. */
  final class Lifecycle implements InstanceLifecycle {
    volatile String failedStep;
    volatile String message;
    volatile List<String> cleanupProblems;

    @Override
    public void markInstanceRunning(String instanceId, String workflowId) {
      calls.add("mark_running");
    }

    @Override
    public void markInstanceFailed(String instanceId, String workflowId, String failedStep, String message, List<String> cleanupProblems) {
      calls.add("mark_failed");
      this.failedStep = failedStep;
      this.message = message;
      this.cleanupProblems = cleanupProblems;
    }

    @Override
    public Map<String, String> beginDelete(String instanceId, String workflowId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> placedNodes(String instanceId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void finishDelete(String instanceId, String workflowId) {
      throw new UnsupportedOperationException();
    }
  }

  /** Every seed step of one queue. */
  final class Steps implements DynamicActivity {
    private final String queue;

    Steps(String queue) {
      this.queue = queue;
    }

    @Override
    public Object execute(EncodedValues args) {
      StepInput in = args.get(0, StepInput.class);
      calls.add("step:" + in.step() + "/" + in.role().wire() + "@" + queue);
      attempts.computeIfAbsent(in.step(), k -> new AtomicInteger()).incrementAndGet();
      return behaviour.getOrDefault(in.step(), i -> StepResult.of("done")).apply(in);
    }
  }

  final class Nodes implements HostCleanup {
    private final String host;

    Nodes(String host) {
      this.host = host;
    }

    @Override
    public StepResult removeNode(String instanceId, String role) {
      calls.add("remove:" + role + "@" + host);
      RuntimeException e = removalFailures.get(role);
      if (e != null) {
        throw e;
      }
      return StepResult.of("removed");
    }
  }

  final class Cloud implements CloudCleanup {
    @Override
    public StepResult deleteCloudInstance(String instanceId) {
      calls.add("delete_cloud");
      return StepResult.of("deleted");
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(CreateInstanceWorkflowImpl.class);
    control.registerActivitiesImplementations(lifecycle, new Steps(TaskQueues.CONTROL));
    for (String host : List.of(H1, H2)) {
      env.newWorker(TaskQueues.host(host)).registerActivitiesImplementations(new Nodes(host), new Steps(TaskQueues.host(host)));
    }
    env.newWorker(TaskQueues.ALIYUN).registerActivitiesImplementations(new Cloud(), new Steps(TaskQueues.ALIYUN));
    // do_init places the master on h1 and the slave on h2
    behaviour.put("do_init", in -> new StepResult("placed", Map.of("master", H1, "slave", H2), false));
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private CreateInstanceWorkflow stub() {
    return env.getWorkflowClient().newWorkflowStub(CreateInstanceWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.CONTROL).setWorkflowId(CreateInstanceWorkflow.workflowId(ID)).build());
  }

  private static CreateInput input(List<PlannedStep> plan) {
    return new CreateInput(ID, Engine.LOCAL, Topology.MASTER_SLAVE, "10.11", false).withPlan(plan);
  }

  private List<String> steps() {
    return calls.stream().filter(c -> c.startsWith("step:")).toList();
  }

  private List<String> removals() {
    return calls.stream().filter(c -> c.startsWith("remove:") || c.equals("delete_cloud")).toList();
  }

  @Test
  void aSuccessfulRunRunsEveryRowButTheSkippedOnesOnItsQueueAndMarksRunning() {
    CreateResult r = stub().create(input(PLAN));

    assertThat(r).isEqualTo(new CreateResult(InstanceStatus.RUNNING, null, null));
    assertThat(steps()).first().isEqualTo("step:do_init/instance@" + TaskQueues.CONTROL);
    assertThat(steps()).last().isEqualTo("step:do_insert_baklist/instance@" + TaskQueues.CONTROL);
    assertThat(steps()).containsExactlyInAnyOrder( // the rows of a stage run concurrently
        "step:do_init/instance@" + TaskQueues.CONTROL,
        "step:do_make_dir/master@host.h1", "step:do_make_dir/slave@host.h2",
        "step:do_init_mysql_db_master/master@host.h1", "step:do_init_mysql_db_slave/slave@host.h2",
        "step:do_create_accounts/master@host.h1",
        "step:do_insert_baklist/instance@" + TaskQueues.CONTROL);
    assertThat(calls).noneMatch(c -> c.contains("do_add_rds_ecs_sg_rel") || c.contains("do_install_plugin_for55"));
    assertThat(calls).endsWith("mark_running").doesNotContain("mark_failed");
    assertThat(removals()).isEmpty();
  }

  @Test
  void aFailedStepIsCompensatedAndNamedAndNoLaterStepRuns() {
    behaviour.put("do_create_accounts", in -> {
      throw ApplicationFailure.newNonRetryableFailure("account app: password rejected", StepOptions.NON_RETRYABLE);
    });

    CreateResult r = stub().create(input(PLAN));

    assertThat(r.status()).isEqualTo(InstanceStatus.FAILED);
    assertThat(r.failedStep()).isEqualTo("do_create_accounts (master)");
    assertThat(r.message()).isEqualTo("account app: password rejected");
    assertThat(steps()).last().isEqualTo("step:do_create_accounts/master@host.h1");
    assertThat(calls).noneMatch(c -> c.contains("do_insert_baklist")).doesNotContain("mark_running");
    // compensation removes both nodes built, each on its own host, then marks the instance FAILED
    assertThat(removals()).containsExactlyInAnyOrder("remove:master@h1", "remove:slave@h2");
    assertThat(calls).endsWith("mark_failed");
    assertThat(lifecycle.failedStep).isEqualTo("do_create_accounts (master)");
    assertThat(lifecycle.message).isEqualTo("account app: password rejected");
    assertThat(lifecycle.cleanupProblems).isEmpty();
  }

  @Test
  void anIncompleteCleanupIsReportedAsSuch() {
    behaviour.put("do_create_accounts", in -> {
      throw ApplicationFailure.newNonRetryableFailure("account app: password rejected", StepOptions.NON_RETRYABLE);
    });
    removalFailures.put("slave", ApplicationFailure.newNonRetryableFailure(
        "refusing to remove /data/rl-1/slave: it is not rl-1's", StepOptions.STEP_FAILURE));

    CreateResult r = stub().create(input(PLAN));

    assertThat(r.status()).isEqualTo(InstanceStatus.FAILED);
    assertThat(removals()).containsExactlyInAnyOrder("remove:master@h1", "remove:slave@h2");
    assertThat(lifecycle.cleanupProblems).containsExactly("refusing to remove /data/rl-1/slave: it is not rl-1's");
    assertThat(lifecycle.message).isEqualTo("account app: password rejected; cleanup incomplete: "
        + "refusing to remove /data/rl-1/slave: it is not rl-1's");
  }

  @Test
  void anAbortDuringAStageLetsItFinishThenCompensatesWithoutStartingAnotherStep() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    behaviour.put("do_make_dir", in -> {
      started.countDown();
      await(release);
      return StepResult.of("made");
    });
    CreateInstanceWorkflow workflow = stub();
    WorkflowClient.start(workflow::create, input(PLAN));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    workflow.abort("cancelled by DeleteInstance");
    Thread.sleep(200); // the signal is in the history before the stage ends
    release.countDown();
    CreateResult r = WorkflowStub.fromTyped(workflow).getResult(30, TimeUnit.SECONDS, CreateResult.class);

    assertThat(r.status()).isEqualTo(InstanceStatus.FAILED);
    assertThat(r.failedStep()).isEqualTo("do_init_mysql_db_master");
    assertThat(r.message()).isEqualTo("cancelled by DeleteInstance before this step");
    assertThat(steps()).containsExactlyInAnyOrder("step:do_init/instance@" + TaskQueues.CONTROL,
        "step:do_make_dir/master@host.h1", "step:do_make_dir/slave@host.h2");
    assertThat(removals()).containsExactlyInAnyOrder("remove:master@h1", "remove:slave@h2");
    assertThat(lifecycle.failedStep).isEqualTo("do_init_mysql_db_master");
    assertThat(calls).endsWith("mark_failed");
  }

  @Test
  void anAbortDuringALongStepCancelsItAndCompensates() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch aborted = new CountDownLatch(1);
    Function<StepInput, StepResult> waitsForTheServer = in -> {
      started.countDown();
      await(aborted); // heartbeats are throttled (one per 8 s): the first one carries the cancel back
      while (true) { // a long step heartbeats; the cancel arrives with a heartbeat's answer
        try {
          Activity.getExecutionContext().heartbeat(null);
        } catch (ActivityCompletionException cancelled) {
          calls.add("cancelled:" + in.step());
          throw cancelled;
        }
        sleep(100);
      }
    };
    behaviour.put("do_init_mysql_db_master", waitsForTheServer);
    behaviour.put("do_init_mysql_db_slave", waitsForTheServer);
    CreateInstanceWorkflow workflow = stub();
    WorkflowClient.start(workflow::create, input(PLAN));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    workflow.abort("cancelled by DeleteInstance");
    Thread.sleep(300); // the workflow has asked for the cancel
    aborted.countDown();
    CreateResult r = WorkflowStub.fromTyped(workflow).getResult(60, TimeUnit.SECONDS, CreateResult.class);

    assertThat(r.status()).isEqualTo(InstanceStatus.FAILED);
    assertThat(r.failedStep()).isEqualTo("do_init_mysql_db_master");
    assertThat(r.message()).isEqualTo("cancelled while running");
    assertThat(calls).contains("cancelled:do_init_mysql_db_master", "cancelled:do_init_mysql_db_slave")
        .noneMatch(c -> c.contains("do_create_accounts") || c.contains("do_insert_baklist"));
    assertThat(removals()).containsExactlyInAnyOrder("remove:master@h1", "remove:slave@h2");
    assertThat(lifecycle.message).isEqualTo("cancelled while running");
    assertThat(calls).endsWith("mark_failed");
  }

  @Test
  void aNonTransientFailureIsAttemptedOnceWhereverItIsThrownATransientOneIsRetried() {
    AtomicInteger flaky = new AtomicInteger();
    behaviour.put("do_make_dir", in -> {
      if (in.role() == Role.MASTER && flaky.incrementAndGet() < 3) { // a lost connection: retried
        throw ApplicationFailure.newFailure("Connection refused", "java.lang.IllegalStateException");
      }
      return StepResult.of("made");
    });
    // how a StepFailure arrives from StepRunner (NonRetryable) and from an activity without one (its class name)
    behaviour.put("do_init_mysql_db_master", in -> {
      throw ApplicationFailure.newFailure("directory /data/rl-1/master exists and is not this instance's", StepOptions.STEP_FAILURE);
    });
    behaviour.put("do_init_mysql_db_slave", in -> {
      throw ApplicationFailure.newFailure("no free port left in 3307-3307 on host h2", StepOptions.NON_RETRYABLE);
    });

    CreateResult r = stub().create(input(PLAN));

    assertThat(attempts.get("do_make_dir").get()).as("two nodes, the master's retried twice").isEqualTo(4);
    assertThat(attempts.get("do_init_mysql_db_master").get()).isEqualTo(1);
    assertThat(attempts.get("do_init_mysql_db_slave").get()).isEqualTo(1);
    assertThat(r.failedStep()).isEqualTo("do_init_mysql_db_master (master)");
    assertThat(r.message()).isEqualTo("directory /data/rl-1/master exists and is not this instance's");
  }

  @Test
  void theAliyunEngineCompensatesByDeletingTheCloudInstance() {
    List<PlannedStep> plan = List.of(
        new PlannedStep(1, 1, "do_create_single_tenant_ins_and_wait_finish", Role.INSTANCE, Target.ALIYUN, null),
        new PlannedStep(2, 2, "do_flush_user_whitelist", Role.INSTANCE, Target.ALIYUN, null));
    behaviour.put("do_flush_user_whitelist", in -> {
      throw ApplicationFailure.newNonRetryableFailure("InvalidSecurityIPList.Malformed", StepOptions.NON_RETRYABLE);
    });

    CreateResult r = stub().create(new CreateInput("ra-1", Engine.ALIYUN, Topology.SINGLE, "8.0", false).withPlan(plan));

    assertThat(r.failedStep()).isEqualTo("do_flush_user_whitelist");
    assertThat(removals()).containsExactly("delete_cloud");
    assertThat(lifecycle.cleanupProblems).isEmpty();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

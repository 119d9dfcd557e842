package io.rdsflow.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.activities.AliyunAccountSteps;
import io.rdsflow.workflows.activities.AliyunConfigSteps;
import io.rdsflow.workflows.activities.AliyunInitSteps;
import io.rdsflow.workflows.activities.AliyunInstanceSteps;
import io.rdsflow.workflows.activities.AliyunMaintenanceSteps;
import io.rdsflow.workflows.activities.CloudCleanup;
import io.rdsflow.workflows.activities.ControlSteps;
import io.rdsflow.workflows.activities.HostAccountSteps;
import io.rdsflow.workflows.activities.HostBackupSteps;
import io.rdsflow.workflows.activities.HostCleanup;
import io.rdsflow.workflows.activities.HostDirectorySteps;
import io.rdsflow.workflows.activities.HostFileSteps;
import io.rdsflow.workflows.activities.HostProxySteps;
import io.rdsflow.workflows.activities.NodeOperations;
import io.rdsflow.workflows.activities.AliyunOperations;
import io.rdsflow.workflows.activities.HostParameterSteps;
import io.rdsflow.workflows.activities.HostReplicationSteps;
import io.rdsflow.workflows.activities.HostStartSteps;
import io.rdsflow.workflows.activities.InstanceLifecycle;
import io.rdsflow.workflows.activities.NodeRebuild;
import io.rdsflow.workflows.create.AliyunPlan;
import io.rdsflow.workflows.create.CreateInput;
import io.rdsflow.workflows.create.LocalPlan;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.Topology;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepOptions;
import io.rdsflow.workflows.steps.StepResult;
import io.rdsflow.workflows.steps.Target;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every step name the workflows run is an activity type some worker registers: the workflow calls plan
 * rows by name through an untyped stub, so a misspelt name would only show up as a creation stuck on an
 * activity type no worker polls for. The rule of the plans: a row runs exactly when it has no skip
 * reason (PlanBuilder gives skipped rows Target.NONE and the workflow records them SKIPPED without an
 * activity), so every row without a skip reason, in every variant of every plan, must name an
 * {@code @ActivityMethod(StepInput) -> StepResult} of the step interface registered on its target's
 * queue. Skipped rows (cloud-only, other-version, other-engine steps) need no activity.
 */
class StepActivitiesTest {
  /** The step interfaces of a host queue, one per phase of the seed (service's WorkerSetup.registerHost). */
  static final Set<Class<?>> HOST_STEPS = ordered(HostDirectorySteps.class, HostStartSteps.class, HostAccountSteps.class,
      HostReplicationSteps.class, HostParameterSteps.class, HostFileSteps.class, HostBackupSteps.class, HostProxySteps.class,
      io.rdsflow.workflows.activities.HostRestoreSteps.class);

  /** The step interfaces of the {@code aliyun} queue (service's WorkerSetup.registerAliyun). */
  static final Set<Class<?>> ALIYUN_STEPS = ordered(AliyunInitSteps.class, AliyunInstanceSteps.class, AliyunConfigSteps.class,
      AliyunAccountSteps.class, AliyunMaintenanceSteps.class);

  /** The step interfaces of each queue a plan row can target (service's WorkerSetup registers them there). */
  static final Map<Target, Set<Class<?>>> STEPS_BY_TARGET = Map.of(
      Target.CONTROL, ordered(ControlSteps.class),
      Target.MASTER_HOST, HOST_STEPS,
      Target.SLAVE_HOST, HOST_STEPS,
      Target.ALIYUN, ALIYUN_STEPS);

  static final List<Class<?>> ALL_ACTIVITY_INTERFACES = concat(concat(List.copyOf(HOST_STEPS), List.copyOf(ALIYUN_STEPS)),
      List.of(io.rdsflow.workflows.activities.BackupSteps.class, ControlSteps.class, HostCleanup.class, CloudCleanup.class, InstanceLifecycle.class, NodeRebuild.class,
          NodeOperations.class, AliyunOperations.class, io.rdsflow.workflows.activities.ParameterOperations.class,
          io.rdsflow.workflows.activities.ParameterControl.class, io.rdsflow.workflows.activities.AliyunSpecOperations.class,
          io.rdsflow.workflows.activities.AliyunBackupOperations.class));

  private static Set<Class<?>> ordered(Class<?>... interfaces) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(interfaces)));
  }

  private static List<Class<?>> concat(List<Class<?>> a, List<Class<?>> b) {
    List<Class<?>> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  /** Every variant a plan has: engine × topology × a 5.5 or later version × time zone requested or not × clone or not. */
  static List<PlanVariant> variants() {
    List<PlanVariant> out = new ArrayList<>();
    Map<String, Function<CreateInput, List<PlannedStep>>> plans = new LinkedHashMap<>();
    plans.put("local", LocalPlan::steps);
    plans.put("aliyun", AliyunPlan::steps);
    plans.forEach((engine, plan) -> {
      for (String topology : List.of("single", "master-slave")) {
        for (String version : List.of("5.5", "5.7", "8.0", "10.11")) {
          for (boolean timeZone : List.of(false, true)) {
            CreateInput in = new CreateInput("i-1", Engine.of(engine), Topology.of(topology), version, timeZone);
            out.add(new PlanVariant(engine, version, engine + " " + topology + " " + version
                + (timeZone ? " with time zone" : ""), plan.apply(in)));
            out.add(new PlanVariant(engine, version, engine + " " + topology + " " + version + " clone"
                + (timeZone ? " with time zone" : ""), plan.apply(in.asClone())));
          }
        }
      }
    });
    return out;
  }

  record PlanVariant(String engine, String version, String label, List<PlannedStep> rows) {}

  /** The activity types an interface declares, from its {@code @ActivityMethod} names (Temporal's rule). */
  static Map<String, Method> activityTypes(Class<?> activityInterface) {
    ActivityInterface ai = activityInterface.getAnnotation(ActivityInterface.class);
    assertThat(ai).as(activityInterface + " is an @ActivityInterface").isNotNull();
    Map<String, Method> out = new LinkedHashMap<>();
    for (Method m : activityInterface.getMethods()) {
      ActivityMethod am = m.getAnnotation(ActivityMethod.class);
      String name = am != null && !am.name().isEmpty() ? am.name()
          : ai.namePrefix() + Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1);
      assertThat(out.put(name, m)).as("activity type " + name + " declared twice in " + activityInterface).isNull();
    }
    return out;
  }

  /** A plan row that breaks the rule, and how. */
  record Problem(PlannedStep row, String why) {
    @Override
    public String toString() {
      return row + ": " + why;
    }
  }

  /** The rows of a plan that break the rule: they run but name no step activity of their target's queue. */
  static List<Problem> rowsWithoutActivity(List<PlannedStep> rows) {
    List<Problem> out = new ArrayList<>();
    for (PlannedStep p : rows) {
      if (p.skipped()) {
        if (p.target() != Target.NONE) {
          out.add(new Problem(p, "skipped, yet targets a queue"));
        }
        continue;
      }
      Set<Class<?>> queue = STEPS_BY_TARGET.get(p.target());
      if (queue == null) {
        out.add(new Problem(p, "runs, yet targets no queue"));
        continue;
      }
      List<Class<?>> declaring = queue.stream().filter(i -> activityTypes(i).containsKey(p.name())).toList();
      if (declaring.isEmpty()) {
        out.add(new Problem(p, "no activity " + p.name() + " in " + simpleNames(queue)));
      } else if (declaring.size() > 1) {
        out.add(new Problem(p, p.name() + " declared by more than one interface of its queue: " + simpleNames(declaring)));
      } else {
        Class<?> steps = declaring.get(0);
        Method m = activityTypes(steps).get(p.name());
        if (!Arrays.equals(m.getParameterTypes(), new Class<?>[] {StepInput.class}) || m.getReturnType() != StepResult.class) {
          out.add(new Problem(p, steps.getSimpleName() + "." + m.getName() + " is not StepResult(StepInput)"));
        }
      }
    }
    return out;
  }

  private static String simpleNames(Collection<Class<?>> interfaces) {
    return interfaces.stream().map(Class::getSimpleName).collect(Collectors.joining(", "));
  }

  /** The step names StepOptions knows (LONG_STEPS and any other set of step names it keeps), by reflection. */
  static Set<String> stepOptionsNames() throws IllegalAccessException {
    Set<String> names = new LinkedHashSet<>();
    for (Field f : StepOptions.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && Collection.class.isAssignableFrom(f.getType())
          && f.getGenericType() instanceof ParameterizedType t && t.getActualTypeArguments()[0] == String.class) {
        f.setAccessible(true);
        for (Object o : (Collection<?>) f.get(null)) {
          names.add((String) o);
        }
      }
    }
    return names;
  }

  @Test
  void everyRowThatRunsInEveryPlanVariantIsAStepActivityOfItsQueue() {
    List<PlanVariant> variants = variants();
    assertThat(variants).hasSize(64);
    for (PlanVariant v : variants) {
      assertThat(v.rows()).as(v.label()).isNotEmpty().anyMatch(p -> !p.skipped());
      assertThat(rowsWithoutActivity(v.rows())).as(v.label()).isEmpty();
    }
  }

  @Test
  void everyStepNameOfStepOptionsIsAnActivityType() throws Exception {
    Set<String> named = stepOptionsNames();
    assertThat(named).as("StepOptions.LONG_STEPS read by reflection").contains("do_init_mysql_db_master", "rdsflow_remove_node");
    Set<String> registered = new LinkedHashSet<>();
    ALL_ACTIVITY_INTERFACES.forEach(i -> registered.addAll(activityTypes(i).keySet()));
    assertThat(registered).containsAll(named);
  }

  /** Activity type → the interface declaring it, over the interfaces one worker registers (Temporal refuses a type twice). */
  static Map<String, String> declaredBy(List<Class<?>> registeredTogether) {
    Map<String, String> declaredBy = new LinkedHashMap<>();
    for (Class<?> i : registeredTogether) {
      for (String type : activityTypes(i).keySet()) {
        assertThat(declaredBy.put(type, i.getSimpleName())).as(type + " declared by two interfaces of one queue").isNull();
      }
    }
    return declaredBy;
  }

  @Test
  void theInterfacesRegisteredOnAHostQueueDeclareEachActivityTypeOnce() {
    assertThat(declaredBy(concat(List.copyOf(HOST_STEPS), List.of(HostCleanup.class))))
        .containsEntry("do_make_dir", "HostDirectorySteps")
        .containsEntry("do_install_duallmaster_master", "HostReplicationSteps")
        .containsEntry("do_start_create_new_backup", "HostBackupSteps");
  }

  @Test
  void theInterfacesRegisteredOnTheAliyunQueueDeclareEachActivityTypeOnce() {
    assertThat(declaredBy(concat(List.copyOf(ALIYUN_STEPS), List.of(CloudCleanup.class))))
        .containsEntry("do_create_single_tenant_ins_and_wait_finish", "AliyunInstanceSteps")
        .containsEntry("do_create_accounts", "AliyunAccountSteps")
        .containsEntry("do_insert_baklist", "AliyunMaintenanceSteps");
  }

  @Test
  void theCheckSeesTheAnnotationsAndCatchesAMisspeltOrMisplacedStep() {
    assertThat(activityTypes(HostDirectorySteps.class)).containsKey("do_make_dir");
    assertThat(activityTypes(HostReplicationSteps.class)).containsKey("do_check_slave_slave");
    assertThat(activityTypes(InstanceLifecycle.class)).containsKey("rdsflow_mark_instance_running");
    PlannedStep good = new PlannedStep(1, 1, "do_make_dir", Role.MASTER, Target.MASTER_HOST, null);
    assertThat(rowsWithoutActivity(List.of(good))).isEmpty();
    assertThat(rowsWithoutActivity(List.of(new PlannedStep(1, 1, "do_make_dirs", Role.MASTER, Target.MASTER_HOST, null))))
        .singleElement().hasToString(
            "PlannedStep[seq=1, stage=1, name=do_make_dirs, role=master, target=MASTER_HOST, skipReason=null]: "
            + "no activity do_make_dirs in HostDirectorySteps, HostStartSteps, HostAccountSteps, HostReplicationSteps, "
            + "HostParameterSteps, HostFileSteps, HostBackupSteps, HostProxySteps, HostRestoreSteps");
    assertThat(rowsWithoutActivity(List.of(new PlannedStep(1, 1, "do_make_dir", Role.INSTANCE, Target.CONTROL, null))))
        .singleElement().extracting(Problem::why).isEqualTo("no activity do_make_dir in ControlSteps");
    assertThat(rowsWithoutActivity(List.of(new PlannedStep(1, 1, "do_make_dir", Role.INSTANCE, Target.NONE, null))))
        .singleElement().extracting(Problem::why).isEqualTo("runs, yet targets no queue");
    assertThat(rowsWithoutActivity(List.of(new PlannedStep(1, 1, "do_add_aurora", Role.INSTANCE, Target.NONE, "cloud only"))))
        .as("a skipped row needs no activity").isEmpty();
    Set<String> registered = new LinkedHashSet<>();
    ALL_ACTIVITY_INTERFACES.forEach(i -> registered.addAll(activityTypes(i).keySet()));
    assertThat(LocalPlan.steps(new CreateInput("i-1", Engine.LOCAL, Topology.SINGLE, "10.11", false)).stream()
        .filter(PlannedStep::skipped).map(PlannedStep::name))
        .as("skipped rows of the local plan, some with no activity anywhere").contains("do_add_aurora", "do_install_plugin_for55");
    assertThat(registered).doesNotContain("do_add_aurora", "do_install_plugin_for55");
  }
}

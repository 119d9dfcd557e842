package io.rdsflow.workflows.create;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.Topology;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The aliyun plan: the cloud steps in the order the cloud needs, every other seed step SKIPPED with why. */
class AliyunPlanTest {
  static final List<String> CLOUD_STEPS = List.of("do_init", "do_check_accounts_and_dbs",
      "do_create_single_tenant_ins_and_wait_finish", "do_flush_user_whitelist", "do_build_params", "do_create_accounts",
      "do_create_dbs", "do_insert_baklist", "do_insert_instance_perf_table", "do_active_instance_for_install");

  @Test
  void runsTheCloudStepsOnTheAliyunQueueOneAtATimeAndSkipsTheRestWithAReason() {
    for (Topology topology : Topology.values()) {
      List<PlannedStep> plan = Plans.of(new CreateInput("ra-1", Engine.ALIYUN, topology, "8.0", false));
      assertThat(plan.stream().filter(p -> !p.skipped()).map(PlannedStep::name)).containsExactlyElementsOf(CLOUD_STEPS);
      assertThat(plan.stream().filter(p -> !p.skipped()).map(PlannedStep::target)).containsOnly(Target.ALIYUN);
      assertThat(plan.stream().filter(PlannedStep::skipped).map(PlannedStep::target)).containsOnly(Target.NONE);
      assertThat(plan.stream().filter(PlannedStep::skipped)).allSatisfy(p -> assertThat(p.skipReason()).isNotBlank());
      Set<Integer> stages = new HashSet<>();
      plan.forEach(p -> assertThat(stages.add(p.stage())).as("one row per stage: " + p).isTrue());
      for (int i = 0; i < plan.size(); i++) {
        assertThat(plan.get(i).seq()).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void everySeedStepOfTheLocalPlanAppearsInTheAliyunPlan() {
    CreateInput local = new CreateInput("rl-1", Engine.LOCAL, Topology.MASTER_SLAVE, "10.11", true);
    CreateInput aliyun = new CreateInput("ra-1", Engine.ALIYUN, Topology.MASTER_SLAVE, "8.0", true);
    Set<String> aliyunNames = new HashSet<>(Plans.of(aliyun).stream().map(PlannedStep::name).toList());
    assertThat(aliyunNames).containsAll(Plans.of(local).stream().map(PlannedStep::name)
        .filter(name -> name.startsWith("do_")).toList()); // rdsflow's own checks (rdsflow_*) are not seed steps
    assertThat(Plans.of(aliyun).stream().filter(p -> p.name().equals("do_make_dir")).findFirst().orElseThrow().skipReason())
        .startsWith("host-only step");
  }

  @Test
  void aCloneIsMadeByCloneDBInstanceInPlaceOfCreateDBInstanceAndTheRestRunsAsForANewInstance() {
    List<String> expected = new java.util.ArrayList<>(CLOUD_STEPS);
    expected.set(expected.indexOf("do_create_single_tenant_ins_and_wait_finish"), AliyunPlan.CLONE);
    for (Topology topology : Topology.values()) {
      List<PlannedStep> plan = Plans.of(new CreateInput("ra-2", Engine.ALIYUN, topology, "8.0", false).asClone());
      assertThat(plan.stream().filter(p -> !p.skipped()).map(PlannedStep::name)).containsExactlyElementsOf(expected);
      PlannedStep create = plan.stream().filter(p -> p.name().equals("do_create_single_tenant_ins_and_wait_finish"))
          .findFirst().orElseThrow();
      assertThat(create.skipReason()).contains("CloneDBInstance").contains(AliyunPlan.CLONE);
      assertThat(plan.get(create.seq()).name()).as("the clone runs where the create would").isEqualTo(AliyunPlan.CLONE);
      assertThat(plan.get(create.seq()).target()).isEqualTo(Target.ALIYUN);
      for (int i = 0; i < plan.size(); i++) {
        assertThat(plan.get(i).seq()).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void topologyMapsToTheRdsCategory() {
    assertThat(AliyunPlan.category(Topology.SINGLE)).isEqualTo("Basic");
    assertThat(AliyunPlan.category(Topology.MASTER_SLAVE)).isEqualTo("HighAvailability");
  }
}

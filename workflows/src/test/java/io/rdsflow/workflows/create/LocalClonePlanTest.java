package io.rdsflow.workflows.create;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.Topology;
import io.rdsflow.workflows.steps.PlannedStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A clone's local plan: restore rows in place of do_init_mysql_db_*, roll-forward rows once the servers answer. */
class LocalClonePlanTest {
  private static final CreateInput PAIR = new CreateInput("rl-1", Engine.LOCAL, Topology.MASTER_SLAVE, "10.11", false);

  private static List<String> run(List<PlannedStep> plan) {
    return plan.stream().filter(p -> !p.skipped()).map(p -> p.name() + "/" + p.role().wire()).toList();
  }

  @Test
  void aCloneRestoresInPlaceOfInitialisingAndRollsForwardOnceStarted() {
    List<PlannedStep> plan = LocalPlan.steps(PAIR.asClone());
    assertThat(plan).filteredOn(p -> p.name().startsWith("do_init_mysql_db_")).hasSize(2).allMatch(PlannedStep::skipped);
    List<String> run = run(plan);
    int restore = run.indexOf("rdsflow_restore_backup_master/master");
    assertThat(run.subList(restore, restore + 2))
        .containsExactly("rdsflow_restore_backup_master/master", "rdsflow_restore_backup_slave/slave");
    assertThat(run.get(restore - 1)).isEqualTo("do_update_minor_version_in_metadb/instance");
    int started = run.indexOf("do_check_start_instance_success_slave/slave");
    assertThat(run.subList(started + 1, started + 3))
        .containsExactly("rdsflow_roll_forward_master/master", "rdsflow_roll_forward_slave/slave");
    PlannedStep rollMaster = plan.stream().filter(p -> p.name().equals(LocalPlan.ROLL_FORWARD_MASTER)).findFirst().orElseThrow();
    PlannedStep rollSlave = plan.stream().filter(p -> p.name().equals(LocalPlan.ROLL_FORWARD_SLAVE)).findFirst().orElseThrow();
    assertThat(rollMaster.stage()).as("both nodes roll forward together").isEqualTo(rollSlave.stage());
    assertThat(run).contains("do_create_accounts/master", "do_start_create_new_backup/master");
  }

  @Test
  void aPlainCreationHasNoRestoreRows() {
    assertThat(LocalPlan.steps(PAIR)).extracting(PlannedStep::name)
        .doesNotContain(LocalPlan.RESTORE_BACKUP_MASTER, LocalPlan.ROLL_FORWARD_MASTER)
        .contains("do_init_mysql_db_master");
    assertThat(run(LocalPlan.steps(PAIR))).contains("do_init_mysql_db_master/master");
  }
}

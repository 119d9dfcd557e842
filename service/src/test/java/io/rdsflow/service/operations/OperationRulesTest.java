package io.rdsflow.service.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.Topology;
import io.rdsflow.workflows.operate.OperationPlans;
import io.rdsflow.workflows.steps.PlannedStep;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which operation applies to which local instance: a 422 naming the field and why, or the plan. */
class OperationRulesTest {
  private static InstanceDao.Instance local(Topology topology) {
    return new InstanceDao.Instance("rl-1", "shop", Engine.LOCAL, "10.11", null, topology, InstanceStatus.RUNNING, null, null,
        null, "{}", null, null, true, null);
  }

  @Test
  void aSingleHasNothingToSwitchOverOrFailOverTo() {
    for (OperationType t : new OperationType[] {OperationType.SWITCHOVER, OperationType.FAILOVER}) {
      assertThatThrownBy(() -> OperationRules.plan(local(Topology.SINGLE), t, Role.MASTER, null, Optional.empty()))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).startsWith("type: ").contains("single"));
    }
    OperationPlans.Plan restart = OperationRules.plan(local(Topology.SINGLE), OperationType.RESTART, Role.MASTER, null, Optional.empty());
    assertThat(restart.steps()).extracting(PlannedStep::name).containsExactly(OperationPlans.RESTART_NODE);
  }

  @Test
  void aNodeWaitingForItsRebuildBlocksSwitchoverAndCannotBeRestarted() {
    InstanceDao.Instance pair = local(Topology.MASTER_SLAVE);
    assertThatThrownBy(() -> OperationRules.plan(pair, OperationType.SWITCHOVER, Role.SLAVE, null, Optional.of(Role.MASTER)))
        .hasMessageContaining("rebuilt");
    assertThatThrownBy(() -> OperationRules.plan(pair, OperationType.RESTART, Role.SLAVE, Role.MASTER, Optional.of(Role.MASTER)))
        .hasMessageStartingWith("node: ");
    OperationPlans.Plan writerOnly = OperationRules.plan(pair, OperationType.RESTART, Role.SLAVE, Role.SLAVE, Optional.of(Role.MASTER));
    assertThat(writerOnly.steps()).extracting(PlannedStep::name, PlannedStep::role)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(OperationPlans.RESTART_NODE, Role.SLAVE));
  }

  @Test
  void aSwitchoverFromTheSlaveNamedNodeRunsOnTheRightHostsAndUndoesBeforeTheSwap() {
    OperationPlans.Plan p = OperationRules.plan(local(Topology.MASTER_SLAVE), OperationType.SWITCHOVER, Role.SLAVE, null,
        Optional.empty());
    assertThat(p.steps()).extracting(PlannedStep::name, PlannedStep::role).containsExactly(
        org.assertj.core.groups.Tuple.tuple(OperationPlans.CHECK_REPLICA, Role.MASTER),
        org.assertj.core.groups.Tuple.tuple(OperationPlans.STOP_WRITES, Role.SLAVE),
        org.assertj.core.groups.Tuple.tuple(OperationPlans.WAIT_REPLICA_APPLIED, Role.MASTER),
        org.assertj.core.groups.Tuple.tuple(OperationPlans.OPEN_WRITES, Role.MASTER),
        org.assertj.core.groups.Tuple.tuple(OperationPlans.SWAP_ROLES, Role.INSTANCE),
        org.assertj.core.groups.Tuple.tuple(OperationPlans.POINT_PROXY, Role.INSTANCE));
    assertThat(p.undoFrom()).isEqualTo(2);
    assertThat(p.commitSeq()).isEqualTo(5);
    assertThat(p.undo()).extracting(PlannedStep::name, PlannedStep::role).containsExactly(
        org.assertj.core.groups.Tuple.tuple(OperationPlans.STOP_WRITES, Role.MASTER),
        org.assertj.core.groups.Tuple.tuple(OperationPlans.OPEN_WRITES, Role.SLAVE));
    assertThat(p.undo()).extracting(PlannedStep::seq).containsExactly(7, 8);
  }
}

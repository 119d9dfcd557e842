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
import io.rdsflow.workflows.steps.Target;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Which instance a rebuild applies to (a 422 naming the field and why), and which node it rebuilds. */
class RebuildRulesTest {
  private static InstanceDao.Instance instance(Engine engine, Topology topology) {
    return new InstanceDao.Instance("rl-1", "shop", engine, "10.11", null, topology, InstanceStatus.RUNNING, null, null,
        null, "{}", null, null, true, null);
  }

  private static OperationPlans.Plan plan(InstanceDao.Instance ins, Role writer, Role node, Optional<Role> marked) {
    return OperationRules.plan(ins, OperationType.REBUILD, writer, node, marked);
  }

  @Test
  void aSingleOrAnAliyunInstanceHasNoSlaveOfOursToRebuild() {
    assertThatThrownBy(() -> plan(instance(Engine.LOCAL, Topology.SINGLE), Role.MASTER, null, Optional.empty()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).startsWith("type: ").contains("single"));
    assertThatThrownBy(() -> plan(instance(Engine.ALIYUN, Topology.MASTER_SLAVE), Role.MASTER, null, Optional.empty()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).startsWith("type: ")
            .contains("Alibaba Cloud rebuilds"));
  }

  @Test
  void theServingMasterIsNeverRebuilt() {
    assertThatThrownBy(() -> plan(instance(Engine.LOCAL, Topology.MASTER_SLAVE), Role.SLAVE, Role.SLAVE, Optional.empty()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).startsWith("node: ")
            .contains("serves as master"));
  }

  @Test
  void theMarkedNodeIsTheDefaultElseTheSlaveAndAMarkDoesNotBlockTheRebuild() {
    InstanceDao.Instance pair = instance(Engine.LOCAL, Topology.MASTER_SLAVE);
    assertThat(plan(pair, Role.SLAVE, null, Optional.of(Role.MASTER)).steps())
        .extracting(PlannedStep::name, PlannedStep::role, PlannedStep::target).containsExactly(
            Tuple.tuple(OperationPlans.COPY_WRITER, Role.SLAVE, Target.SLAVE_HOST),
            Tuple.tuple(OperationPlans.MARK_FOR_REBUILD, Role.MASTER, Target.CONTROL),
            Tuple.tuple(OperationPlans.RESTORE_FROM_COPY, Role.MASTER, Target.MASTER_HOST),
            Tuple.tuple(OperationPlans.FOLLOW_REBUILT_NODE, Role.SLAVE, Target.SLAVE_HOST),
            Tuple.tuple(OperationPlans.CLEAR_REBUILD_MARK, Role.MASTER, Target.CONTROL),
            Tuple.tuple(OperationPlans.POINT_PROXY, Role.INSTANCE, Target.MASTER_HOST));
    assertThat(plan(pair, Role.MASTER, null, Optional.empty()).steps().get(2).role()).isEqualTo(Role.SLAVE);
    assertThat(plan(pair, Role.MASTER, Role.SLAVE, Optional.empty()).undo()).isEmpty();
  }
}

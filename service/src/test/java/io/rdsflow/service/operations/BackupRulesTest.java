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
import io.rdsflow.workflows.operate.AliyunOperationPlans;
import io.rdsflow.workflows.operate.OperationPlans;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.Target;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which node a backup is taken from, and where it does not apply. */
class BackupRulesTest {
  private static InstanceDao.Instance instance(Engine engine, Topology topology) {
    return new InstanceDao.Instance("r-1", "shop", engine, "10.11", null, topology, InstanceStatus.RUNNING, null, null, null,
        "{}", null, null, true, null);
  }

  private static PlannedStep only(OperationPlans.Plan p) {
    assertThat(p.steps()).hasSize(1);
    assertThat(p.steps().get(0).name()).isEqualTo(OperationPlans.TAKE_FULL_BACKUP);
    return p.steps().get(0);
  }

  @Test
  void fromTheNodeServingAsSlaveElseFromTheMaster() {
    InstanceDao.Instance pair = instance(Engine.LOCAL, Topology.MASTER_SLAVE);
    PlannedStep slave = only(OperationRules.plan(pair, OperationType.BACKUP, Role.MASTER, null, Optional.empty()));
    assertThat(slave.role()).isEqualTo(Role.SLAVE);
    assertThat(slave.target()).isEqualTo(Target.SLAVE_HOST);
    assertThat(only(OperationRules.plan(pair, OperationType.BACKUP, Role.SLAVE, null, Optional.empty())).role())
        .as("after a switchover the node named master serves as slave").isEqualTo(Role.MASTER);
    assertThat(only(OperationRules.plan(pair, OperationType.BACKUP, Role.MASTER, null, Optional.of(Role.SLAVE))).role())
        .as("a slave waiting for its rebuild").isEqualTo(Role.MASTER);
    assertThat(only(OperationRules.plan(instance(Engine.LOCAL, Topology.SINGLE), OperationType.BACKUP, Role.MASTER, null,
        Optional.empty())).role()).isEqualTo(Role.MASTER);
  }

  @Test
  void aliyunIsTheCloudsBackupSetAndARegisteredInstanceHasNone() {
    OperationPlans.Plan cloud = OperationRules.plan(instance(Engine.ALIYUN, Topology.MASTER_SLAVE), OperationType.BACKUP,
        Role.MASTER, null, Optional.empty());
    assertThat(cloud.steps()).extracting(PlannedStep::name)
        .containsExactly(AliyunOperationPlans.CREATE_BACKUP, AliyunOperationPlans.WAIT_BACKUP);
    assertThat(cloud.steps()).extracting(PlannedStep::target).containsOnly(Target.ALIYUN);
    InstanceDao.Instance registered = new InstanceDao.Instance("rm-1", "shop", Engine.ALIYUN, "8.0", null, Topology.MASTER_SLAVE,
        InstanceStatus.RUNNING, "1", "cn-hangzhou", null, null, null, null, true, null);
    assertThatThrownBy(() -> OperationRules.plan(registered, OperationType.BACKUP, Role.MASTER, null, Optional.empty()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).startsWith("type: ").contains("registered"));
  }
}

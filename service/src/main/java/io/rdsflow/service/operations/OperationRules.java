package io.rdsflow.service.operations;

import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.operate.OperationPlans;
import java.util.Optional;

/** Which operation applies to which instance (a 422 saying why not), and its plan. */
final class OperationRules {
  private OperationRules() {}

  static OperationPlans.Plan plan(InstanceDao.Instance ins, OperationType type, Role writer, Role node, Optional<Role> needsRebuild) {
    if (ins.engine() == Engine.ALIYUN) {
      throw ApiException.invalid("type", type + " of an aliyun instance is not available in this release "
          + "(Alibaba Cloud fails RDS over by itself)");
    }
    if (ins.engine() != Engine.LOCAL) {
      throw ApiException.invalid("type", "instance " + ins.id() + " was registered, not created, by rdsflow: it has no operations");
    }
    boolean pair = ins.masterSlave();
    if (!pair && type != OperationType.RESTART) {
      throw ApiException.invalid("type", type + " needs a slave: instance " + ins.id() + " is single");
    }
    if (needsRebuild.isPresent() && type != OperationType.RESTART) {
      throw ApiException.invalid("type", "node " + needsRebuild.get() + " of " + ins.id()
          + " was failed over and must be rebuilt before a " + type);
    }
    return switch (type) {
      case SWITCHOVER -> OperationPlans.switchover(writer);
      case FAILOVER -> OperationPlans.failover(writer);
      case RESTART -> {
        if (needsRebuild.isPresent() && (node == null || node == needsRebuild.get())) {
          throw ApiException.invalid("node", "node " + needsRebuild.get() + " must be rebuilt, not restarted; name the master");
        }
        yield OperationPlans.restart(writer, node, pair && needsRebuild.isEmpty());
      }
    };
  }
}

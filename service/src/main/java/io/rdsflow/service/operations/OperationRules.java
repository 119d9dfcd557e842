package io.rdsflow.service.operations;

import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.operate.AliyunOperationPlans;
import io.rdsflow.workflows.operate.OperationPlans;
import java.util.Optional;

/** Which operation applies to which instance (a 422 saying why not), and its plan. */
final class OperationRules {
  private OperationRules() {}

  static OperationPlans.Plan plan(InstanceDao.Instance ins, OperationType type, Role writer, Role node, Optional<Role> needsRebuild) {
    if (type == OperationType.REBUILD) {
      return rebuild(ins, writer, node, needsRebuild);
    }
    if (type == OperationType.BACKUP) {
      return backup(ins, writer, needsRebuild);
    }
    if (ins.engine() == Engine.ALIYUN) {
      return aliyun(ins, type, node);
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
      case REBUILD -> rebuild(ins, writer, node, needsRebuild);
      case BACKUP -> backup(ins, writer, needsRebuild);
      case MODIFY_PARAMETERS, RESIZE, UPGRADE_MINOR -> throw new IllegalStateException(type + " is planned by SpecChanges");
      case RESTART -> {
        if (needsRebuild.isPresent() && (node == null || node == needsRebuild.get())) {
          throw ApiException.invalid("node", "node " + needsRebuild.get() + " must be rebuilt, not restarted; name the master");
        }
        yield OperationPlans.restart(writer, node, pair && needsRebuild.isEmpty());
      }
    };
  }

  /** Alibaba Cloud RDS: SwitchDBInstanceHA of a master-slave (HighAvailability) instance, RestartDBInstance of the whole one. */
  private static OperationPlans.Plan aliyun(InstanceDao.Instance ins, OperationType type, Role node) {
    if (ins.requestJson() == null) {
      throw ApiException.invalid("type", "instance " + ins.id() + " was registered, not created, by rdsflow: it has no operations");
    }
    if (type == OperationType.FAILOVER) {
      throw ApiException.invalid("type", "failover does not apply to aliyun instance " + ins.id()
          + ": Alibaba Cloud fails RDS over by itself (a planned change of master is a switchover)");
    }
    if (type == OperationType.SWITCHOVER) {
      if (!ins.masterSlave()) {
        throw ApiException.invalid("type", "switchover needs a standby node: aliyun instance " + ins.id()
            + " is single (RDS category Basic, one node)");
      }
      return AliyunOperationPlans.switchover();
    }
    if (type == OperationType.RESTART) {
      if (node != null) {
        throw ApiException.invalid("node", "aliyun instance " + ins.id() + " restarts as a whole (RestartDBInstance): name no node");
      }
      return AliyunOperationPlans.restart();
    }
    throw ApiException.invalid("type", type + " does not apply to aliyun instance " + ins.id());
  }
  /**
   * A backup of a local instance: from the node serving as slave unless it waits for a rebuild (or there is none),
   * else from the master. Of an aliyun instance rdsflow created: the cloud's physical backup set (CreateBackup).
   */
  static OperationPlans.Plan backup(InstanceDao.Instance ins, Role writer, Optional<Role> needsRebuild) {
    if (ins.engine() == Engine.ALIYUN) {
      if (ins.requestJson() == null) {
        throw ApiException.invalid("type", "instance " + ins.id() + " was registered, not created, by rdsflow: it has no operations");
      }
      return AliyunOperationPlans.backup();
    }
    if (ins.engine() != Engine.LOCAL) {
      throw ApiException.invalid("type", "instance " + ins.id() + " was registered, not created, by rdsflow: it has no operations");
    }
    return OperationPlans.backup(writer, ins.masterSlave(), needsRebuild);
  }

  /**
   * A rebuild re-creates the slave from a physical copy of the master: local master-slave only. Without a
   * named node it rebuilds the node marked for rebuild, else the slave; the master cannot be rebuilt from itself.
   */
  private static OperationPlans.Plan rebuild(InstanceDao.Instance ins, Role writer, Role node, Optional<Role> needsRebuild) {
    if (ins.engine() == Engine.ALIYUN) {
      throw ApiException.invalid("type", "rebuild does not apply to aliyun instance " + ins.id() + ": Alibaba Cloud "
          + "rebuilds the nodes of an RDS instance itself");
    }
    if (ins.engine() != Engine.LOCAL) {
      throw ApiException.invalid("type", "instance " + ins.id() + " was registered, not created, by rdsflow: it has no operations");
    }
    if (!ins.masterSlave()) {
      throw ApiException.invalid("type", "rebuild copies the master onto its slave: instance " + ins.id()
          + " is single and has no slave to rebuild");
    }
    Role target = node != null ? node : needsRebuild.orElse(OperationPlans.other(writer));
    if (target == writer) {
      throw ApiException.invalid("node", "node " + writer + " serves as master: a rebuild copies the master onto the "
          + "slave, so the master cannot be rebuilt (switch over first, then rebuild the slave)");
    }
    return OperationPlans.rebuild(writer, target);
  }
}

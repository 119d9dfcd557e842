package io.rdsflow.service.operations;

import io.rdsflow.activities.local.ParameterCatalog;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.service.api.CreateInstanceValidator;
import io.rdsflow.service.api.OperationRequest;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.operate.OperationPlans;
import io.rdsflow.workflows.operate.SpecChangePlans;
import java.util.Map;
import java.util.Optional;

/**
 * {@code modify-parameters}, {@code resize} and {@code upgrade-minor}: what applies (a 422 saying why not), the
 * request as the operation's row stores it (parameters normalised like a creation's), and the plan.
 */
final class SpecChanges {
  /** The plan and the request to store with the operation (its steps read it). */
  record Planned(OperationPlans.Plan plan, OperationRequest stored) {}

  private SpecChanges() {}

  static boolean applies(OperationType type) {
    return type == OperationType.MODIFY_PARAMETERS || type == OperationType.RESIZE || type == OperationType.UPGRADE_MINOR;
  }

  static Planned plan(InstanceDao.Instance ins, OperationType type, OperationRequest r, Role writer, Optional<Role> needsRebuild) {
    if (r.node() != null) {
      throw ApiException.invalid("node", type + " applies to the whole instance: name no node");
    }
    boolean aliyun = ins.engine() == Engine.ALIYUN;
    if ((ins.engine() != Engine.LOCAL && !aliyun) || (aliyun && ins.requestJson() == null)) {
      throw ApiException.invalid("type", "instance " + ins.id() + " was registered, not created, by rdsflow: it has no operations");
    }
    if (type != OperationType.MODIFY_PARAMETERS) {
      if (r.parameters() != null) {
        throw ApiException.invalid("parameters", "only modify-parameters takes parameters");
      }
      if (!aliyun) {
        throw ApiException.invalid("type", type + " does not apply to local instance " + ins.id() + ": the local engine has one "
            + "server version installed and no instance classes (change parameters with modify-parameters)");
      }
      return type == OperationType.RESIZE ? resize(ins, r) : new Planned(SpecChangePlans.cloudUpgrade(),
          new OperationRequest(type.wire(), null, null, null, null));
    }
    if (r.instanceClass() != null || r.storageGb() != null) {
      throw ApiException.invalid(r.instanceClass() != null ? "instanceClass" : "storageGb", "only a resize takes a class or storage");
    }
    if (r.parameters() == null || r.parameters().isEmpty()) {
      throw ApiException.invalid("parameters", "required: name → value, e.g. {\"max_connections\": \"800\"}");
    }
    Map<String, String> normalized = CreateInstanceValidator.parameters(r.parameters());
    for (String name : normalized.keySet()) {
      if (ParameterCatalog.fixedAtInit(name)) {
        throw ApiException.invalid("parameters." + name, "is fixed when the instance's data directory is initialised and can "
            + "never change afterwards (choose it when creating an instance)");
      }
    }
    OperationRequest stored = new OperationRequest(type.wire(), null, normalized, null, null);
    if (aliyun) {
      return new Planned(SpecChangePlans.cloudParameters(), stored);
    }
    if (needsRebuild.isPresent()) {
      throw ApiException.invalid("type", "node " + needsRebuild.get() + " of " + ins.id()
          + " was failed over and must be rebuilt before a " + type);
    }
    boolean restart = normalized.keySet().stream().anyMatch(ParameterCatalog::needsRestart);
    return new Planned(SpecChangePlans.modifyParameters(writer, ins.masterSlave(), restart), stored);
  }

  private static Planned resize(InstanceDao.Instance ins, OperationRequest r) {
    if (r.instanceClass() == null && r.storageGb() == null) {
      throw ApiException.invalid("instanceClass", "a resize needs instanceClass and/or storageGb");
    }
    if (r.instanceClass() != null && !r.instanceClass().matches("[a-z0-9]+(\\.[a-z0-9]+){1,5}")) {
      throw ApiException.invalid("instanceClass", "must be an RDS instance class such as mysql.n2.medium.2c");
    }
    if (r.storageGb() != null && (r.storageGb() < 5 || r.storageGb() > 64_000)) {
      throw ApiException.invalid("storageGb", "must be between 5 and 64000");
    }
    return new Planned(SpecChangePlans.cloudResize(),
        new OperationRequest(OperationType.RESIZE.wire(), null, null, r.instanceClass(), r.storageGb()));
  }
}

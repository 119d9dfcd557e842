package io.rdsflow.workflows.create;

import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.Target;
import java.util.ArrayList;
import java.util.List;

/** Accumulates plan rows; each call opens a stage whose rows run concurrently. */
final class PlanBuilder {
  private static final Role MASTER = Role.MASTER;
  private static final Role SLAVE = Role.SLAVE;
  private static final Role INSTANCE = Role.INSTANCE;

  private final List<PlannedStep> rows = new ArrayList<>();
  private final boolean masterSlave;
  private int stage;

  PlanBuilder(boolean masterSlave) {
    this.masterSlave = masterSlave;
  }

  /** A control-queue step for the whole instance. */
  PlanBuilder control(String name) {
    stage++;
    add(name, INSTANCE, Target.CONTROL, null);
    return this;
  }

  /** A cloud API step for the whole instance, on the {@code aliyun} task queue. */
  PlanBuilder cloud(String name) {
    stage++;
    add(name, INSTANCE, Target.ALIYUN, null);
    return this;
  }

  /** A step on the master's host, and on the slave's host too when there is a slave. */
  PlanBuilder bothNodes(String name) {
    stage++;
    add(name, MASTER, Target.MASTER_HOST, null);
    if (masterSlave) {
      add(name, SLAVE, Target.SLAVE_HOST, null);
    }
    return this;
  }

  /** A step split by role as in the seed: {@code <name>_master} and {@code <name>_slave}. */
  PlanBuilder perRole(String masterName, String slaveName) {
    stage++;
    add(masterName, MASTER, Target.MASTER_HOST, null);
    if (masterSlave) {
      add(slaveName, SLAVE, Target.SLAVE_HOST, null);
    } else {
      add(slaveName, SLAVE, Target.NONE, "topology single has no slave");
    }
    return this;
  }

  PlanBuilder master(String name) {
    stage++;
    add(name, MASTER, Target.MASTER_HOST, null);
    return this;
  }

  PlanBuilder slave(String name, String reasonWhenSingle) {
    stage++;
    add(name, SLAVE, masterSlave ? Target.SLAVE_HOST : Target.NONE, masterSlave ? null : reasonWhenSingle);
    return this;
  }

  /** A step that does not apply, recorded as SKIPPED with why. */
  PlanBuilder skip(String name, String reason) {
    stage++;
    add(name, INSTANCE, Target.NONE, reason);
    return this;
  }

  /** A step on the master's host unless {@code reason} is non-null. */
  PlanBuilder masterUnless(String name, String reason) {
    return reason == null ? master(name) : skip(name, reason);
  }

  /** Runs {@code name} unless {@code reason} is non-null. */
  PlanBuilder controlUnless(String name, String reason) {
    return reason == null ? control(name) : skip(name, reason);
  }

  PlanBuilder bothNodesUnless(String name, String reason) {
    return reason == null ? bothNodes(name) : skip(name, reason);
  }

  PlanBuilder perRoleUnless(String masterName, String slaveName, String reason) {
    if (reason == null) {
      return perRole(masterName, slaveName);
    }
    stage++;
    add(masterName, MASTER, Target.NONE, reason);
    add(slaveName, SLAVE, Target.NONE, reason);
    return this;
  }

  private void add(String name, Role role, Target target, String skipReason) {
    rows.add(new PlannedStep(rows.size() + 1, stage, name, role, target, skipReason));
  }

  List<PlannedStep> build() {
    return List.copyOf(rows);
  }
}

package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.Backups;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.workflows.activities.HostBackupSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;

/** The first backup of the node of {@code StepInput.role} on this host (seed 003). */
public final class HostBackupStepsImpl implements HostBackupSteps {
  private final StepRunner runner;
  private final NodeAccess access;

  public HostBackupStepsImpl(StepRunner runner, NodeAccess access) {
    this.runner = runner;
    this.access = access;
  }

  @Override
  public StepResult doStartCreateNewBackup(StepInput in) { // do_start_create_new_backup
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      MysqldServer server = n.server();
      Backups.Backup b = Backups.full(server, n.rootPassword(), () -> StepRunner.heartbeat("backup"));
      access.requests.recordBackup(in.instanceId(), b.path().toString(), b.bytes(), b.method());
      return StepResult.of(b.method() + " " + b.path() + " (" + b.bytes() + " bytes)");
    });
  }
}

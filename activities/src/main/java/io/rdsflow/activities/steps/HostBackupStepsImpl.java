package io.rdsflow.activities.steps;

import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.workflows.activities.HostBackupSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;

/**
 * The first backup of the node of {@code StepInput.role} on this host (seed 003): a full backup into the backup
 * directory, recorded in {@code backups} like every backup (see {@link NodeBackup}).
 */
public final class HostBackupStepsImpl implements HostBackupSteps {
  private final StepRunner runner;
  private final NodeAccess access;
  private final NodeBackup backup;

  public HostBackupStepsImpl(StepRunner runner, NodeAccess access, BackupDao backups) {
    this.runner = runner;
    this.access = access;
    this.backup = new NodeBackup(access, backups);
  }

  @Override
  public StepResult doStartCreateNewBackup(StepInput in) { // do_start_create_new_backup
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      return StepResult.of(NodeBackup.describe(n, backup.take(n, in.instanceId(), in.workflowId())));
    });
  }
}

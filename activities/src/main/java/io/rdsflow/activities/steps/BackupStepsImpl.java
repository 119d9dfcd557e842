package io.rdsflow.activities.steps;

import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.activities.ops.OperationSteps;
import io.rdsflow.workflows.activities.BackupSteps;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import java.util.Map;

/** The {@code backup} operation's step: a full backup of the step's node (see {@link NodeBackup}). */
public final class BackupStepsImpl implements BackupSteps {
  /** Fact: the id of the backup the operation took. */
  public static final String FACT_BACKUP_ID = "backupId";

  private final OperationSteps steps;
  private final NodeAccess access;
  private final NodeBackup backup;

  public BackupStepsImpl(OperationSteps steps, NodeAccess access, BackupDao backups) {
    this.steps = steps;
    this.access = access;
    this.backup = new NodeBackup(access, backups);
  }

  @Override
  public OperationStepResult takeFullBackup(OperationStepInput in) {
    return steps.run(in, () -> {
      NodeContext n = access.load(in.row());
      NodeBackup.Taken t = backup.take(n, in.instanceId(), in.operationId());
      return new OperationStepResult(NodeBackup.describe(n, t), Map.of(FACT_BACKUP_ID, t.backupId()));
    });
  }
}

package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.archive.ArchiveInput;
import io.rdsflow.workflows.archive.ArchiveRound;
import io.rdsflow.workflows.domain.Role;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** One archive round on the serving master's host (its queue). */
@ActivityInterface
public interface BinlogArchiver {
  @ActivityMethod(name = "rdsflow_archive_binlogs")
  ArchiveRound archiveBinlogs(ArchiveInput in, Role node);
}

package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.archive.ArchiveTarget;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Metadata reads of the binlog archive workflow (control queue). */
@ActivityInterface
public interface ArchiveControl {
  @ActivityMethod(name = "rdsflow_archive_target")
  ArchiveTarget archiveTarget(String instanceId);
}

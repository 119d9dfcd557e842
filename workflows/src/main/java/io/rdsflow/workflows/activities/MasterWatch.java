package io.rdsflow.workflows.activities;

import io.rdsflow.workflows.health.Verdict;
import io.rdsflow.workflows.health.WatchInput;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Probes the master from the slave's host, on that host's queue. */
@ActivityInterface
public interface MasterWatch {
  @ActivityMethod(name = "rdsflow_watch_master")
  Verdict watchMaster(WatchInput in);
}

package io.rdsflow.workflows.collect;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The work of a collection round, on the {@code collect} task queue. */
@ActivityInterface
public interface CollectionActivities {
  /** The group's targets as the metadata database lists them now; empty when the group is gone. */
  @ActivityMethod(name = "collect_list_targets")
  List<String> listTargets(String group);

  /**
   * Collects every target with bounded parallelism (each within its own timeout), writes one
   * snapshot per target, records the round; heartbeats while it works.
   */
  @ActivityMethod(name = "collect_round")
  RoundSummary collectRound(String group, long round, List<String> targets, long periodMillis);

  /**
   * Records a round the workflow gave up ({@code collect_round} timed out or was cancelled): the summary and
   * the {@code rdsflow_collection_*} metrics, as {@code collect_round} records its own.
   */
  @ActivityMethod(name = "collect_record_round")
  void recordRound(RoundSummary summary);

  /** Whether the group still exists (an aliyun group ends with its account). */
  @ActivityMethod(name = "collect_group_exists")
  boolean groupExists(String group);
}

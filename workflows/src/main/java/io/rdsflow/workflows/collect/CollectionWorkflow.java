package io.rdsflow.workflows.collect;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The collection loop of one group ({@code local}, {@code external}, {@code aliyun-<uid>}); id
 * {@code collect-<group>}. Rounds never overlap; targets are listed anew every round.
 */
@WorkflowInterface
public interface CollectionWorkflow {
  static String workflowId(String group) {
    return "collect-" + group;
  }

  @WorkflowMethod
  void run(CollectionInput input);

  /** The last finished round, or null before the first. */
  @QueryMethod
  RoundSummary lastRound();
}

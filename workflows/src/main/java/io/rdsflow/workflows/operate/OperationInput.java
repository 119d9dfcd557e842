package io.rdsflow.workflows.operate;

import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.Trigger;
import io.rdsflow.workflows.steps.PlannedStep;
import java.util.List;
import java.util.Map;

/**
 * An operation as the service planned it: its steps in order (each on the queue of the node it acts
 * on) and the host of each node, keyed by the node's name ({@code master}/{@code slave}: the role it
 * was created with; the role it serves in now is in the metadata).
 *
 * @param undo steps that put the previous state back when a step from {@code undoFrom} to before
 *     {@code commitSeq} fails (e.g. the old master made writable again when the slave did not catch up)
 * @param commitSeq the first step after which the operation's change stands: a later failure fails
 *     the operation without undoing it
 */
public record OperationInput(String instanceId, String operationId, OperationType type, Trigger trigger,
    List<PlannedStep> plan, List<PlannedStep> undo, int undoFrom, int commitSeq, Map<String, String> hosts) {}

package io.rdsflow.workflows.operate;

import io.rdsflow.workflows.domain.TaskStatus;

/** How an operation ended: SUCCEEDED, or FAILED naming the step and why. */
public record OperationResult(TaskStatus status, String failedStep, String error) {}

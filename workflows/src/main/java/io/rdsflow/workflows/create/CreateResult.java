package io.rdsflow.workflows.create;

import io.rdsflow.workflows.domain.InstanceStatus;

/** How a creation ended: RUNNING, or FAILED with the step that failed and why. */
public record CreateResult(InstanceStatus status, String failedStep, String message) {}

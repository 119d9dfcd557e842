package io.rdsflow.workflows.create;

/** How a creation ended: RUNNING, or FAILED with the step that failed and why. */
public record CreateResult(String status, String failedStep, String message) {}

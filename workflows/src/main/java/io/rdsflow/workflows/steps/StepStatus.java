package io.rdsflow.workflows.steps;

/** Status of one step record (DESIGN §6). */
public enum StepStatus { PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED, COMPENSATED }

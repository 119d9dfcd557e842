package io.rdsflow.workflows.steps;

import io.rdsflow.workflows.domain.InstanceStatus;
import java.util.List;

/** The answer of the progress query: the task's status and its step records in plan order. */
public record Progress(InstanceStatus status, int done, int total, List<StepRecord> steps) {}

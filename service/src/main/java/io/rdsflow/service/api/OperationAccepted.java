package io.rdsflow.service.api;

import io.rdsflow.workflows.domain.TaskStatus;

/** 202 answer of an operation request; the workflow id is the operation id. */
public record OperationAccepted(String operationId, String workflowId, TaskStatus status) {}

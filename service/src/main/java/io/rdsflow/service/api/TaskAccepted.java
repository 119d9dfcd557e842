package io.rdsflow.service.api;

import io.rdsflow.workflows.domain.InstanceStatus;

/** 202 answer of CreateInstance and DeleteInstance. */
public record TaskAccepted(String instanceId, String workflowId, InstanceStatus status) {}

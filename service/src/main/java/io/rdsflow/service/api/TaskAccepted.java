package io.rdsflow.service.api;

/** 202 answer of CreateInstance and DeleteInstance. */
public record TaskAccepted(String instanceId, String workflowId, String status) {}

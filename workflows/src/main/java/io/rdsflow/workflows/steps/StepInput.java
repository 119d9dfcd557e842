package io.rdsflow.workflows.steps;

import io.rdsflow.workflows.domain.Role;

/**
 * The one argument of every step activity. It names the instance and the step's row; the step
 * loads everything else (parameters, accounts, secrets) from the metadata database, so no secret
 * ever crosses the Temporal boundary.
 */
public record StepInput(String instanceId, String workflowId, int seq, String step, Role role) {}

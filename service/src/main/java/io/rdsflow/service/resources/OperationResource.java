package io.rdsflow.service.resources;

import io.rdsflow.service.api.OperationView;
import io.rdsflow.service.auth.Roles;
import io.rdsflow.service.operations.OperationService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/operations/{operationId}}: one operation with its steps. */
@Path("/v1/operations/{operationId}")
@Produces(MediaType.APPLICATION_JSON)
public final class OperationResource {
  private final OperationService service;

  public OperationResource(OperationService service) {
    this.service = service;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public OperationView get(@PathParam("operationId") String operationId) {
    return service.get(operationId);
  }
}

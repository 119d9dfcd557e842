package io.rdsflow.service.resources;

import io.rdsflow.service.api.OperationRequest;
import io.rdsflow.service.api.OperationView;
import io.rdsflow.service.auth.Roles;
import io.rdsflow.service.operations.OperationService;
import io.rdsflow.workflows.domain.Trigger;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/instances/{id}/operations}: start a day-2 operation, list an instance's operations (newest first). */
@Path("/v1/instances/{id}/operations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class InstanceOperationsResource {
  private final OperationService service;

  public InstanceOperationsResource(OperationService service) {
    this.service = service;
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  public Response start(@PathParam("id") String id, OperationRequest request) {
    return Response.accepted(service.start(id, request, Trigger.API)).build();
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public List<OperationView> list(@PathParam("id") String id) {
    return service.list(id);
  }
}

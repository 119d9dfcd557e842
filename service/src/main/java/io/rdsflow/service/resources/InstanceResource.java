package io.rdsflow.service.resources;

import io.rdsflow.service.api.CreateInstanceRequest;
import io.rdsflow.service.api.InstanceView;
import io.rdsflow.service.api.StepsView;
import io.rdsflow.service.api.TaskAccepted;
import io.rdsflow.service.auth.Roles;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.service.instances.InstanceService;
import io.rdsflow.service.operations.OperationService;
import io.rdsflow.service.api.InstancePatch;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/instances}: CreateInstance, DeleteInstance, views and step records. */
@Path("/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class InstanceResource {
  private final InstanceService service;
  private final OperationService operations;

  public InstanceResource(InstanceService service, OperationService operations) {
    this.service = service;
    this.operations = operations;
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  public Response create(CreateInstanceRequest request) {
    return Response.accepted(service.create(request)).build();
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public List<InstanceView> list() {
    return service.list();
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(Roles.VIEWER)
  public InstanceView get(@PathParam("id") String id) {
    return service.get(id);
  }

  @GET
  @Path("/{id}/steps")
  @RolesAllowed(Roles.VIEWER)
  public StepsView steps(@PathParam("id") String id, @QueryParam("task") @DefaultValue("create") String task) {
    if (!task.equals("create") && !task.equals("delete")) {
      throw ApiException.invalid("task", "must be create or delete");
    }
    return service.steps(id, task);
  }

  /** {@code {"autoFailover": false}}: automatic failover off (or on) for the instance. */
  @PATCH
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  public InstanceView patch(@PathParam("id") String id, InstancePatch patch) {
    operations.patch(id, patch);
    return service.get(id);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  public Response delete(@PathParam("id") String id) {
    TaskAccepted accepted = service.delete(id);
    return Response.accepted(accepted).build();
  }
}

package io.rdsflow.service.resources;

import io.rdsflow.activities.collect.CustomMetric;
import io.rdsflow.activities.collect.CustomMetricDao;
import io.rdsflow.service.api.CustomMetricRequest;
import io.rdsflow.service.auth.Roles;
import io.rdsflow.service.errors.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/custom-metrics}: user-defined SQL metrics (seed 001 M5). */
@Path("/v1/custom-metrics")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class CustomMetricResource {
  private final CustomMetricDao dao;

  public CustomMetricResource(CustomMetricDao dao) {
    this.dao = dao;
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  public Response create(CustomMetricRequest request) {
    if (request == null) {
      throw ApiException.invalid("body", "is required");
    }
    CustomMetric m = request.validate();
    if (!dao.insert(m)) {
      throw ApiException.conflict("name: custom metric " + m.name() + " exists already");
    }
    return Response.status(201).entity(m).build();
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public List<CustomMetric> list() {
    return dao.list();
  }

  @DELETE
  @Path("/{name}")
  @RolesAllowed(Roles.ADMIN)
  public Response delete(@PathParam("name") String name) {
    if (!dao.delete(name)) {
      throw ApiException.notFound("custom metric " + name);
    }
    return Response.noContent().build();
  }
}

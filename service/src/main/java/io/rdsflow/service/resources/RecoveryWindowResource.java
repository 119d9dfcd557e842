package io.rdsflow.service.resources;

import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.service.auth.Roles;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.service.instances.RecoveryWindow;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/instances/{id}/recovery-window} → {@code {"earliest": ISO-8601 UTC, "latest": ISO-8601 UTC}}: any
 * instant in it can be restored into a new instance (like Alibaba's DescribeAvailableRecoveryTime).
 */
@Path("/v1/instances/{id}/recovery-window")
@Produces(MediaType.APPLICATION_JSON)
public final class RecoveryWindowResource {
  private final InstanceDao instances;
  private final RecoveryWindow window;

  public RecoveryWindowResource(InstanceDao instances, RecoveryWindow window) {
    this.instances = instances;
    this.window = window;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public Map<String, String> get(@PathParam("id") String id) {
    instances.find(id).orElseThrow(() -> ApiException.notFound("instance " + id));
    RecoveryWindow.Window w = window.of(id);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("earliest", w.earliest() == null ? null : w.earliest().toString());
    out.put("latest", w.latest() == null ? null : w.latest().toString());
    return out;
  }
}

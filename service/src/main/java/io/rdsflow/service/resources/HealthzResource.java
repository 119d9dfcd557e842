package io.rdsflow.service.resources;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/** {@code GET /healthz}: 200 when every health check passes, 503 otherwise; for probes, no auth. */
@Path("/healthz")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthzResource {
  private final HealthCheckRegistry checks;

  public HealthzResource(HealthCheckRegistry checks) {
    this.checks = checks;
  }

  @GET
  public Response healthz() {
    SortedMap<String, HealthCheck.Result> results = checks.runHealthChecks();
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, String> detail = new LinkedHashMap<>();
    boolean healthy = true;
    for (var e : results.entrySet()) {
      healthy &= e.getValue().isHealthy();
      detail.put(e.getKey(), e.getValue().isHealthy() ? "ok" : "failing: " + e.getValue().getMessage());
    }
    body.put("status", healthy ? "ok" : "failing");
    body.put("checks", detail);
    return Response.status(healthy ? 200 : 503).entity(body).build();
  }
}

package io.rdsflow.service.resources;

import io.prometheus.client.exporter.common.TextFormat;
import io.rdsflow.service.auth.BasicAuth;
import io.rdsflow.service.config.MetricsConfig;
import io.rdsflow.service.errors.ApiError;
import io.rdsflow.service.metrics.PrometheusExposition;
import io.rdsflow.service.metrics.SnapshotPublisher;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** {@code GET /metrics}: Prometheus text; open unless {@code metrics.basicAuth*} is configured. */
@Path("/metrics")
public final class MetricsResource {
  private final PrometheusExposition exposition;
  private final SnapshotPublisher snapshots;
  private final MetricsConfig config;

  public MetricsResource(PrometheusExposition exposition, SnapshotPublisher snapshots, MetricsConfig config) {
    this.exposition = exposition;
    this.snapshots = snapshots;
    this.config = config;
  }

  @GET
  public Response scrape(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) throws IOException {
    if (config.basicAuth() && !authorized(authorization)) {
      return Response.fromResponse(ApiError.response(401, "unauthorized", "metrics need HTTP Basic credentials"))
          .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"metrics\"").build();
    }
    snapshots.refresh();
    return Response.ok(exposition.scrape(), TextFormat.CONTENT_TYPE_004).build();
  }

  private boolean authorized(String header) {
    return BasicAuth.parse(header)
        .filter(c -> equal(c.username(), config.basicAuthUser) & equal(c.password(), config.basicAuthPassword))
        .isPresent();
  }

  private static boolean equal(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}

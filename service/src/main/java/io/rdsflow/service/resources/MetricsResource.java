package io.rdsflow.service.resources;

import io.prometheus.client.exporter.common.TextFormat;
import io.rdsflow.service.auth.BasicAuth;
import io.rdsflow.service.config.MetricsConfig;
import io.rdsflow.service.errors.ApiError;
import io.rdsflow.service.metrics.PrometheusExposition;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * {@code GET /metrics}: Prometheus text; open unless {@code prometheus.basicAuth*} is configured. The per-target part
 * is the same bytes between snapshot changes ({@link PrometheusExposition}); gzipped when the client sends
 * {@code Accept-Encoding: gzip} (Prometheus does), from the gzips made once per rendering of each part (Jetty's own
 * gzip leaves a response with a Content-Encoding alone).
 */
@Path("/metrics")
public final class MetricsResource {
  private final PrometheusExposition exposition;
  private final MetricsConfig config;

  public MetricsResource(PrometheusExposition exposition, MetricsConfig config) {
    this.exposition = exposition;
    this.config = config;
  }

  @GET
  public Response scrape(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) throws IOException {
    if (config.basicAuth() && !authorized(authorization)) {
      return Response.fromResponse(ApiError.response(401, "unauthorized", "metrics need HTTP Basic credentials"))
          .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"metrics\"").build();
    }
    PrometheusExposition.Body body = exposition.scrape(acceptsGzip(acceptEncoding));
    StreamingOutput out = body::writeTo;
    Response.ResponseBuilder r = Response.ok(out, TextFormat.CONTENT_TYPE_004)
        .header(HttpHeaders.CONTENT_LENGTH, body.length()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    return (body.gzip() ? r.header(HttpHeaders.CONTENT_ENCODING, "gzip") : r).build();
  }

  /** {@code gzip} listed in Accept-Encoding with a q-value other than 0. */
  static boolean acceptsGzip(String header) {
    if (header == null) {
      return false;
    }
    for (String part : header.toLowerCase(Locale.ROOT).split(",")) {
      String[] p = part.trim().split(";");
      if (p[0].trim().equals("gzip")) {
        for (int i = 1; i < p.length; i++) {
          String q = p[i].trim().replace(" ", "");
          if (q.matches("q=0(\\.0*)?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
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

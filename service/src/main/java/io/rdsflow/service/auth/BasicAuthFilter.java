package io.rdsflow.service.auth;

import io.rdsflow.service.errors.ApiError;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Optional;

/**
 * Every {@code /v1} call needs HTTP Basic credentials of an API user; the user's role then decides
 * through {@code @RolesAllowed}. Other paths (/healthz, /metrics) are not touched here.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BasicAuthFilter implements ContainerRequestFilter {
  private final ApiUsers users;

  public BasicAuthFilter(ApiUsers users) {
    this.users = users;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!(path.equals("v1") || path.startsWith("v1/") || path.startsWith("/v1"))) {
      return;
    }
    Optional<BasicAuth> credentials = BasicAuth.parse(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    Optional<String> role = credentials.flatMap(c -> users.authenticate(c.username(), c.password()));
    if (role.isEmpty()) {
      Response r = ApiError.response(401, "unauthorized",
          credentials.isEmpty() ? "HTTP Basic credentials are required" : "wrong user name or password");
      request.abortWith(Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"rdsflow\"").build());
      return;
    }
    String username = credentials.get().username();
    boolean secure = request.getSecurityContext().isSecure();
    request.setSecurityContext(new SecurityContext() {
      @Override public Principal getUserPrincipal() { return () -> username; }
      @Override public boolean isUserInRole(String r) { return role.get().equals(r) || (r.equals(Roles.VIEWER) && role.get().equals(Roles.ADMIN)); }
      @Override public boolean isSecure() { return secure; }
      @Override public String getAuthenticationScheme() { return SecurityContext.BASIC_AUTH; }
    });
  }
}

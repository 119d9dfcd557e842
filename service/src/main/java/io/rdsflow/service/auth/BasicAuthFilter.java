package io.rdsflow.service.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rdsflow.service.errors.ApiError;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;

/**
 * HTTP Basic authentication in front of a whole servlet context: every request needs the credentials
 * of an API user except those whose path is on an explicit allow-list. The allow-list is matched on
 * the path as the servlet will see it (percent-decoded, path parameters such as {@code ;x} dropped,
 * empty segments dropped); anything odd ({@code .}, {@code ..}, an encoded {@code /} or {@code ;},
 * bad escapes) is simply not on the list and so needs credentials. Whatever path Jersey or Jetty
 * would make of {@code /v1;x/accounts}, {@code //v1}, {@code %2F} or {@code /V1}, it is authenticated.
 *
 * <p>The user's role reaches the application as the request's principal and {@code isUserInRole},
 * which Jersey's {@code @RolesAllowed} asks. A required role (the admin port's {@code admin}) is
 * checked here. Failed logins count against the client's address in the {@link LoginThrottle}; a
 * blocked client gets 429 with {@code Retry-After} before its credentials are looked at.
 */
public final class BasicAuthFilter implements Filter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiUsers users;
  private final LoginThrottle throttle;
  private final Set<String> openPaths;
  private final String requiredRole;
  private final String realm;

  private BasicAuthFilter(ApiUsers users, LoginThrottle throttle, Set<String> openPaths, String requiredRole,
      String realm) {
    this.users = users;
    this.throttle = throttle;
    this.openPaths = Set.copyOf(openPaths);
    this.requiredRole = requiredRole;
    this.realm = realm;
  }

  /** For the application: any API user, roles decided by the resources; {@code openPaths} like {@code "healthz"}. */
  public static BasicAuthFilter application(ApiUsers users, LoginThrottle throttle, Set<String> openPaths) {
    return new BasicAuthFilter(users, throttle, openPaths, null, "rdsflow");
  }

  /** For the admin port (tasks, thread dump, health checks, metrics): role {@code admin}, nothing open. */
  public static BasicAuthFilter admin(ApiUsers users, LoginThrottle throttle) {
    return new BasicAuthFilter(users, throttle, Set.of(), Roles.ADMIN, "rdsflow-admin");
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      throw new ServletException("not HTTP");
    }
    if (!openPaths.isEmpty()) {
      String path = canonicalPath(request);
      if (path != null && openPaths.contains(path)) {
        chain.doFilter(req, res);
        return;
      }
    }
    String client = String.valueOf(request.getRemoteAddr());
    OptionalLong retryAfter = throttle.retryAfterSeconds(client);
    if (retryAfter.isPresent()) {
      response.setHeader("Retry-After", Long.toString(retryAfter.getAsLong()));
      error(response, 429, "too_many_requests",
          "too many failed logins from this address; retry after " + retryAfter.getAsLong() + " s");
      return;
    }
    Optional<BasicAuth> credentials = BasicAuth.parse(request.getHeader("Authorization"));
    if (credentials.isEmpty()) {
      unauthorized(response, "HTTP Basic credentials are required");
      return;
    }
    Optional<String> role = users.authenticate(credentials.get().username(), credentials.get().password());
    if (role.isEmpty()) {
      throttle.failed(client);
      unauthorized(response, "wrong user name or password");
      return;
    }
    if (requiredRole != null && !Roles.has(role.get(), requiredRole)) {
      error(response, 403, "forbidden", "this needs the role " + requiredRole);
      return;
    }
    chain.doFilter(new Authenticated(request, credentials.get().username(), role.get()), res);
  }

  private void unauthorized(HttpServletResponse response, String message) throws IOException {
    response.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
    error(response, 401, "unauthorized", message);
  }

  private static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    JSON.writeValue(body, new ApiError(code, message));
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(body.size());
    response.getOutputStream().write(body.toByteArray());
  }

  /**
   * The request's path below the context, decoded, without path parameters and empty segments, its
   * segments joined by {@code /} ({@code "healthz"}, {@code "v1/accounts"}); null when it has segments
   * that are not plain names ({@code .}, {@code ..}, encoded {@code / \ ;}, control characters, bad escapes).
   */
  static String canonicalPath(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    if (uri == null) {
      return null;
    }
    if (context != null && !context.isEmpty()) {
      if (!uri.startsWith(context)) {
        return null;
      }
      uri = uri.substring(context.length());
    }
    return canonicalPath(uri);
  }

  static String canonicalPath(String rawPath) {
    StringJoiner joined = new StringJoiner("/");
    for (String segment : rawPath.split("/", -1)) {
      int semicolon = segment.indexOf(';');
      if (semicolon >= 0) {
        segment = segment.substring(0, semicolon);
      }
      if (segment.isEmpty()) {
        continue;
      }
      String decoded = decode(segment);
      if (decoded == null || decoded.equals(".") || decoded.equals("..")) {
        return null;
      }
      for (int i = 0; i < decoded.length(); i++) {
        char c = decoded.charAt(i);
        if (c == '/' || c == '\\' || c == ';' || c == '%' || c < 0x20 || c == 0x7f) {
          return null;
        }
      }
      joined.add(decoded);
    }
    return joined.toString();
  }

  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The request of an authenticated user: its principal and role for the application. */
  private static final class Authenticated extends HttpServletRequestWrapper {
    private final Principal principal;
    private final String role;

    Authenticated(HttpServletRequest request, String username, String role) {
      super(request);
      this.principal = () -> username;
      this.role = role;
    }

    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public String getRemoteUser() {
      return principal.getName();
    }

    @Override
    public boolean isUserInRole(String wanted) {
      return Roles.has(role, wanted);
    }

    @Override
    public String getAuthType() {
      return HttpServletRequest.BASIC_AUTH;
    }
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rdsflow.service.auth.PasswordHasher;
import io.rdsflow.service.auth.ApiUserDao;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 9, parts 2 and 3: the admin port needs the admin's credentials, no log level prints an
 * {@code Authorization} header, every application path but the allow-list is authenticated, user names
 * are compared exactly, unknown and known users cost the same, failed logins back a client off, and a
 * verified password is remembered only until it changes.
 *
 * <p>Requests go through raw sockets so that paths reach the server exactly as written, and each
 * client has a loopback source address of its own (127.0.x.y): the login back-off is per address.
 */
class AuthHardeningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NEXT_CLIENT = new AtomicInteger(10);
  @TempDir static Path dataDir;
  static TestApp app;
  static Map<String, String> config;

  @BeforeAll
  static void start() throws Exception {
    config = TestApp.config(dataDir, "authhard");
    app = TestApp.start(config);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  // ---- admin port ----

  @Test
  void adminPortNeedsTheAdminsCredentials() throws Exception {
    String client = newClient();
    assertThat(admin(client, "GET", "/threads", null, null).status).isEqualTo(401);
    assertThat(admin(client, "GET", "/healthcheck", null, null).status).isEqualTo(401);
    Reply silence = admin(client, "POST", "/tasks/log-level?logger=ROOT&level=OFF", null, null);
    assertThat(silence.status).as(silence.toString()).isEqualTo(401);
    assertThat(silence.json().get("code").asText()).isEqualTo("unauthorized");
    assertThat(rootLevel()).isNotEqualTo(ch.qos.logback.classic.Level.OFF);
    Reply viewer = admin(newClient(), "POST", "/tasks/log-level?logger=ROOT&level=OFF", "viewer", TestApp.VIEWER_PASSWORD);
    assertThat(viewer.status).as(viewer.toString()).isEqualTo(403);
    assertThat(rootLevel()).isNotEqualTo(ch.qos.logback.classic.Level.OFF);
    assertThat(admin(newClient(), "GET", "/threads", "admin", "wrong-password").status).isEqualTo(401);

    Reply threads = admin(newClient(), "GET", "/threads", "admin", TestApp.ADMIN_PASSWORD);
    assertThat(threads.status).isEqualTo(200);
    assertThat(threads.body).contains("RUNNABLE");
  }

  @Test
  void noLogLevelPrintsTheAuthorizationHeader() throws Exception {
    String credentials = base64("admin:" + TestApp.ADMIN_PASSWORD);
    String viewerCredentials = base64("viewer:" + TestApp.VIEWER_PASSWORD);
    String client = newClient();
    try (LogCapture logs = new LogCapture()) {
      for (String logger : List.of("org.eclipse.jetty", "org.glassfish.jersey", "io.dropwizard")) {
        Reply set = admin(client, "POST", "/tasks/log-level?logger=" + logger + "&level=TRACE&duration=PT60S",
            "admin", TestApp.ADMIN_PASSWORD);
        assertThat(set.status).as(set.toString()).isEqualTo(200);
      }
      try {
        assertThat(api(client, "GET", "/v1/accounts", "admin", TestApp.ADMIN_PASSWORD).status).isEqualTo(200);
        assertThat(api(client, "GET", "/v1/accounts", "viewer", TestApp.VIEWER_PASSWORD).status).isEqualTo(200);
        assertThat(api(client, "GET", "/v1/accounts", "viewer", "a-wrong-one").status).isEqualTo(401);
        assertThat(admin(client, "GET", "/ping", "admin", TestApp.ADMIN_PASSWORD).status).isEqualTo(200);
      } finally {
        for (String logger : List.of("org.eclipse.jetty", "org.glassfish.jersey", "io.dropwizard")) {
          admin(client, "POST", "/tasks/log-level?logger=" + logger, "admin", TestApp.ADMIN_PASSWORD);
        }
      }
      String all = logs.all();
      assertThat(all).doesNotContain(credentials).doesNotContain(viewerCredentials)
          .doesNotContain(TestApp.ADMIN_PASSWORD).doesNotContain(TestApp.VIEWER_PASSWORD)
          .doesNotContain(base64("viewer:a-wrong-one"));
      assertThat(all.toLowerCase(Locale.ROOT)).doesNotContain("authorization: basic");
    }
  }

  // ---- every application path but the allow-list ----

  @Test
  void everyWayOfWritingV1IsAuthenticated() throws Exception {
    assertThat(api(newClient(), "POST", "/v1/accounts", "admin", TestApp.ADMIN_PASSWORD, "{}").status).isEqualTo(422);
    List<String> paths = List.of("/v1;x/accounts", "/v1/accounts", "/v1/accounts;x", "//v1/accounts", "/v1//accounts",
        "/v1%2Faccounts", "/V1/accounts", "/%76%31/accounts", "/v1/./accounts", "/x/../v1/accounts", "/v1;/accounts",
        "/v1/accounts/", "/v1;a=b/accounts;c=d", "/healthz/../v1/accounts", "/healthz;/../v1/accounts",
        "/metrics%2F..%2Fv1%2Faccounts", "/application.wadl", "/nothing-here");
    for (String path : paths) {
      for (String method : List.of("GET", "POST")) {
        Reply r = api(newClient(), method, path, null, null, method.equals("POST") ? "{}" : null);
        assertThat(r.status).as(method + " " + path + " -> " + r).isIn(400, 401);
        if (r.status == 401) {
          assertThat(r.json().get("code").asText()).isEqualTo("unauthorized");
        }
      }
    }
    assertThat(api(newClient(), "GET", "/healthz", null, null).status).isNotEqualTo(401);
    assertThat(api(newClient(), "GET", "/metrics", null, null).status).isEqualTo(200);
  }

  // ---- user names ----

  @Test
  void userNamesAreComparedExactly() throws Exception {
    for (String name : List.of("Admin", "ADMIN", "ádmin", "admin   ", "admin ", " admin", "VIEWER")) {
      String password = name.trim().equalsIgnoreCase("viewer") ? TestApp.VIEWER_PASSWORD : TestApp.ADMIN_PASSWORD;
      Reply r = api(newClient(), "GET", "/v1/accounts", name, password);
      assertThat(r.status).as("'" + name + "' -> " + r).isEqualTo(401);
      Reply a = admin(newClient(), "GET", "/ping", name, password);
      assertThat(a.status).as("admin port '" + name + "' -> " + a).isEqualTo(401);
    }
    assertThat(api(newClient(), "GET", "/v1/accounts", "admin", TestApp.ADMIN_PASSWORD).status).isEqualTo(200);
  }

  @Test
  void unknownAndKnownUsersCostTheSame() throws Exception {
    // warm up both paths
    api(newClient(), "GET", "/v1/accounts", "admin", "warm-up-wrong");
    api(newClient(), "GET", "/v1/accounts", "nobody-" + System.nanoTime(), "warm-up-wrong");
    List<Long> known = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      known.add(timedFailure("admin", "wrong-" + i));
      unknown.add(timedFailure("nobody-" + i, "wrong-" + i));
      known.add(timedFailure("viewer", "wrong-" + i));
    }
    long k = median(known);
    long u = median(unknown);
    double ratio = (double) Math.max(k, u) / Math.max(1, Math.min(k, u));
    assertThat(ratio).as("median known %d us, unknown %d us", k / 1000, u / 1000).isLessThan(1.6);
  }

  private static long timedFailure(String user, String password) throws IOException {
    String client = newClient();
    long t0 = System.nanoTime();
    Reply r = api(client, "GET", "/v1/accounts", user, password);
    long t = System.nanoTime() - t0;
    assertThat(r.status).isEqualTo(401);
    return t;
  }

  // ---- failed logins ----

  @Test
  void repeatedFailuresBackTheClientOffButNotOthers() throws Exception {
    String attacker = newClient();
    int failures = 0;
    Reply r;
    do {
      r = api(attacker, "GET", "/v1/accounts", "admin", "guess-" + failures);
      failures++;
    } while (r.status == 401 && failures < 50);
    assertThat(r.status).as("after %d failures: %s", failures, r).isEqualTo(429);
    assertThat(failures).isBetween(4, 12);
    assertThat(r.headers.get("retry-after")).isNotNull();
    assertThat(Integer.parseInt(r.headers.get("retry-after"))).isPositive();
    assertThat(r.json().get("code").asText()).isEqualTo("too_many_requests");
    assertThat(r.json().get("message").asText()).isNotBlank();

    // the blocked client is refused even with the right password, on either port ...
    assertThat(api(attacker, "GET", "/v1/accounts", "admin", TestApp.ADMIN_PASSWORD).status).isEqualTo(429);
    assertThat(admin(attacker, "GET", "/ping", "admin", TestApp.ADMIN_PASSWORD).status).isEqualTo(429);
    // ... the open paths stay open to it, and another client still gets in
    assertThat(api(attacker, "GET", "/metrics", null, null).status).isEqualTo(200);
    assertThat(api(newClient(), "GET", "/v1/accounts", "admin", TestApp.ADMIN_PASSWORD).status).isEqualTo(200);
    assertThat(api(newClient(), "GET", "/v1/accounts", "viewer", TestApp.VIEWER_PASSWORD).status).isEqualTo(200);
  }

  // ---- the cache of verified passwords ----

  @Test
  void aVerifiedPasswordIsRememberedUntilItChanges() throws Exception {
    String client = newClient();
    assertThat(api(client, "GET", "/v1/accounts", "admin", TestApp.ADMIN_PASSWORD).status).isEqualTo(200);
    List<Long> cached = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      long t0 = System.nanoTime();
      assertThat(api(client, "GET", "/v1/accounts", "admin", TestApp.ADMIN_PASSWORD).status).isEqualTo(200);
      cached.add(System.nanoTime() - t0);
    }
    String stored = PasswordHasher.hash("something");
    List<Long> pbkdf2 = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      long t0 = System.nanoTime();
      PasswordHasher.matches("something-else", stored);
      pbkdf2.add(System.nanoTime() - t0);
    }
    assertThat(median(cached)).as("a cached request %d us, one PBKDF2 %d us", median(cached) / 1000,
        median(pbkdf2) / 1000).isLessThan(median(pbkdf2) / 2);

    // viewer's password changes (as another server's start with a new RDSFLOW_VIEWER_PASSWORD does)
    assertThat(api(client, "GET", "/v1/accounts", "viewer", TestApp.VIEWER_PASSWORD).status).isEqualTo(200);
    ApiUserDao dao = new ApiUserDao(Jdbi.create(config.get("database.url"), config.get("database.user"),
        config.get("database.password")));
    try {
      dao.upsert("viewer", "viewer", PasswordHasher.hash("the-new-viewer-password"));
      assertThat(api(client, "GET", "/v1/accounts", "viewer", TestApp.VIEWER_PASSWORD).status).isEqualTo(401);
      assertThat(api(client, "GET", "/v1/accounts", "viewer", "the-new-viewer-password").status).isEqualTo(200);
    } finally {
      dao.upsert("viewer", "viewer", PasswordHasher.hash(TestApp.VIEWER_PASSWORD));
    }
    assertThat(api(newClient(), "GET", "/v1/accounts", "viewer", TestApp.VIEWER_PASSWORD).status).isEqualTo(200);
  }

  // ---- helpers ----

  private static ch.qos.logback.classic.Level rootLevel() {
    return ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).getLevel();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A loopback address no other request of this test used: a client of its own. */
  private static String newClient() {
    int n = NEXT_CLIENT.getAndIncrement();
    return "127.0." + (n / 250) + "." + (1 + n % 250);
  }

  static Reply api(String client, String method, String path, String user, String password) throws IOException {
    return api(client, method, path, user, password, null);
  }

  static Reply api(String client, String method, String path, String user, String password, String body)
      throws IOException {
    return raw(client, app.port(), method, path, user, password, body);
  }

  static Reply admin(String client, String method, String path, String user, String password) throws IOException {
    return raw(client, app.adminPort(), method, path, user, password, null);
  }

  /** One HTTP/1.1 request, sent as written, from the given local address. */
  static Reply raw(String client, int port, String method, String path, String user, String password, String body)
      throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(client), 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(30_000);
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
      if (user != null) {
        req.append("Authorization: Basic ").append(base64(user + ":" + password)).append("\r\n");
      }
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null || method.equals("POST")) {
        req.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
      }
      req.append("Connection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.write(content);
      out.flush();
      return Reply.parse(readAll(s.getInputStream()));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    in.transferTo(b);
    return b.toByteArray();
  }

  record Reply(int status, Map<String, String> headers, String body) {
    static Reply parse(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        throw new IllegalStateException("no HTTP response: " + text);
      }
      String[] lines = text.substring(0, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      String body = text.substring(end + 4);
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        StringBuilder b = new StringBuilder();
        int at = 0;
        while (true) {
          int eol = body.indexOf("\r\n", at);
          int size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
          if (size == 0) {
            break;
          }
          b.append(body, eol + 2, eol + 2 + size);
          at = eol + 2 + size + 2;
        }
        body = b.toString();
      }
      return new Reply(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + this, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}

package io.rdsflow.service;

import com.codahale.metrics.jmx.JmxReporter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.rdsflow.service.config.ConfigSource;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.testkit.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * The whole application for a test: built-in configuration, ephemeral ports, embedded Temporal, a
 * data directory of the test's own and, unless told otherwise, a fresh schema of the test database.
 */
public final class TestApp implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";
  public static final String VIEWER_PASSWORD = "viewer-password-for-tests";
  public static final String ENCRYPTION_PASSWORD = "encryption-password-for-tests";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DropwizardTestSupport<RdsflowConfiguration> support;
  private final HttpClient http = HttpClient.newHttpClient();

  private volatile JmxReporter jmx;

  private TestApp(Map<String, String> overrides) {
    List<ConfigOverride> list = new ArrayList<>();
    overrides.forEach((k, v) -> list.add(ConfigOverride.config(k, v)));
    support = new DropwizardTestSupport<>(RdsflowApplication.class, ConfigSource.DEFAULT,
        ConfigSource.withSubstitution(), null, ServerAsInProduction::new, list.toArray(ConfigOverride[]::new));
  }

  /**
   * The server command after {@code Bootstrap.registerMetrics()}, as {@code Application.run} does it for
   * {@code java -jar rdsflow.jar server} (DropwizardTestSupport skips it): Dropwizard's JVM gauges and JMX
   * reporter, so the tests see the registry the real server has.
   */
  private final class ServerAsInProduction extends ServerCommand<RdsflowConfiguration> {
    ServerAsInProduction(Application<RdsflowConfiguration> application) {
      super(application);
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
      bootstrap.registerMetrics();
      jmx = bootstrap.getJmxReporter();
      super.run(bootstrap, namespace);
    }
  }

  /** Overrides for an application on its own schema of the test database. */
  public static Map<String, String> config(Path dataDir, String schemaPrefix) {
    Map<String, String> c = embeddedDatabaseConfig(dataDir);
    TestDatabase db = TestDatabase.get();
    c.put("database.url", db.newSchema(schemaPrefix));
    c.put("database.user", db.user());
    c.put("database.password", db.password());
    // the daily backup schedule and the binlog archive run in the tests that test them (they switch them on)
    c.put("backup.schedule", "false");
    c.put("binlogArchive.enabled", "false");
    return c;
  }

  /** Overrides for an application on the embedded metadata database under {@code dataDir}. */
  public static Map<String, String> embeddedDatabaseConfig(Path dataDir) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("dataDir", dataDir.toString());
    c.put("server.applicationConnectors[0].port", "0");
    c.put("server.adminConnectors[0].port", "0");
    c.put("temporal.embeddedPort", "0");
    c.put("security.encryptionPassword", ENCRYPTION_PASSWORD);
    c.put("security.adminPassword", ADMIN_PASSWORD);
    c.put("security.viewerPassword", VIEWER_PASSWORD);
    c.put("logging.level", "WARN");
    return c;
  }

  public static TestApp start(Map<String, String> overrides) throws Exception {
    TestApp app = new TestApp(overrides);
    try {
      app.support.before();
    } catch (Exception | Error e) {
      app.stopJmx();
      throw e;
    }
    return app;
  }

  public RdsflowApplication application() {
    return support.getApplication();
  }

  public RdsflowConfiguration configuration() {
    return support.getConfiguration();
  }

  /** The application's Dropwizard metric registry. */
  public com.codahale.metrics.MetricRegistry metrics() {
    return support.getEnvironment().metrics();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + support.getLocalPort() + path;
  }

  /** The application port and the admin port (Dropwizard's admin context). */
  public int port() {
    return support.getLocalPort();
  }

  public int adminPort() {
    return support.getAdminPort();
  }

  public Reply get(String path) {
    return send("GET", path, null, ADMIN_PASSWORD, "admin");
  }

  public Reply post(String path, Object body) {
    return send("POST", path, body, ADMIN_PASSWORD, "admin");
  }

  public Reply put(String path, Object body) {
    return send("PUT", path, body, ADMIN_PASSWORD, "admin");
  }

  public Reply delete(String path) {
    return send("DELETE", path, null, ADMIN_PASSWORD, "admin");
  }

  /** A request as any user; body is a JSON string or an object serialised to JSON, null for none. */
  public Reply send(String method, String path, Object body, String password, String user) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)));
      if (user != null) {
        b.header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
      }
      String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
      b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
      if (text != null) {
        b.header("Content-Type", "application/json");
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response: status and body. */
  public record Reply(int status, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private void stopJmx() {
    if (jmx != null) {
      jmx.stop();
    }
  }

  @Override
  public void close() {
    try {
      support.after();
    } finally {
      stopJmx();
    }
  }
}

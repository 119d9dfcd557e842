package io.rdsflow.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shipped artefact as a user runs it: {@code java -jar service/target/rdsflow.jar <command>} in a
 * child JVM, with {@code -Ddw.} overrides, its output in a log file. {@link #kill()} is a SIGKILL
 * ({@code kill -9}), {@link #close()} a SIGTERM that lets it stop its workers and metadata database.
 * {@link #temporal} starts the {@code temporal} command the same way.
 */
public final class ServerProcess implements AutoCloseable {
  public static final Path JAR = Path.of(System.getProperty("rdsflow.jar", "target/rdsflow.jar")).toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final int httpPort;
  private final long startedNanos;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServerProcess(Process process, Path log, int httpPort, long startedNanos) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts {@code java -jar rdsflow.jar server} on free HTTP and admin ports and waits for {@code /healthz}.
   *
   * @param config {@code dw.} keys without the prefix
   */
  public static ServerProcess server(Map<String, String> config, Path log) throws Exception {
    int http = freePort();
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx512m"));
    cmd.add("-Ddw.server.applicationConnectors[0].port=" + http);
    cmd.add("-Ddw.server.adminConnectors[0].port=" + freePort());
    config.forEach((k, v) -> cmd.add("-Ddw." + k + "=" + v));
    cmd.addAll(List.of("-jar", JAR.toString(), "server"));
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: integration tests run after `mvn package` (mvn verify)");
    }
    Files.createDirectories(log.getParent());
    long started = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    ServerProcess s = new ServerProcess(p, log, http, started);
    s.awaitHealthy(Duration.ofMinutes(2));
    return s;
  }

  /**
   * Starts {@code java -jar rdsflow.jar temporal} (the in-memory Temporal service alone) on {@code port} and
   * waits until it accepts connections there; it has no HTTP API, so {@link #get} and the like do not apply.
   */
  public static ServerProcess temporal(int port, Path log) throws Exception {
    Files.createDirectories(log.getParent());
    long started = System.nanoTime();
    Process p = new ProcessBuilder(javaBinary(), "-Xmx256m", "-Ddw.temporal.embeddedPort=" + port, "-jar", JAR.toString(),
        "temporal").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    ServerProcess s = new ServerProcess(p, log, -1, started);
    long deadline = started + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("temporal exited with " + p.exitValue() + ":\n" + s.tail());
      }
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
        return s;
      } catch (IOException e) {
        Thread.sleep(100); // not listening yet
      }
    }
    s.close();
    throw new IllegalStateException("temporal not listening on 127.0.0.1:" + port + " within 1 min:\n" + s.tail());
  }

  private void awaitHealthy(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url("/healthz"))).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("server not healthy within " + timeout + ":\n" + tail());
  }

  public long pid() {
    return process.pid();
  }

  /** When the process was launched, for measuring recovery from its start. */
  public long startedNanos() {
    return startedNanos;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  /** {@code kill -9}: the process gets no chance to stop anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public TestApp.Reply get(String path) {
    return send("GET", path, null);
  }

  public TestApp.Reply post(String path, Object body) {
    return send("POST", path, body);
  }

  public TestApp.Reply delete(String path) {
    return send("DELETE", path, null);
  }

  public TestApp.Reply send(String method, String path, Object body) {
    try {
      String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
              ("admin:" + TestApp.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
          .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
      if (text != null) {
        b.header("Content-Type", "application/json");
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new TestApp.Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the instance has {@code status}, at most {@code within} from {@code fromNanos}. */
  public JsonNode awaitStatus(String id, String status, Duration within, long fromNanos) throws InterruptedException {
    long deadline = fromNanos + within.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = get("/v1/instances/" + id).json();
      if (last.get("status").asText().equals(status)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("instance " + id + " not " + status + " within " + within + ": " + last + "\n"
        + get("/v1/instances/" + id + "/steps").body() + "\n" + tail());
  }

  /** Waits until the creation's {@code step} has started (or finished). */
  public void awaitStepStarted(String id, String step) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode s : get("/v1/instances/" + id + "/steps").json().get("steps")) {
        if (s.get("name").asText().equals(step) && !s.get("status").asText().equals("PENDING")) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError(step + " never started:\n" + get("/v1/instances/" + id + "/steps").body());
  }

  /** The last lines of the server's log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A polite stop (SIGTERM), then SIGKILL after 60 s. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.testkit.TestProcesses;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CreateInstance input is validated, never reinterpreted, and races are settled by the database: the
 * reproductions of the hardening issue, each as it was reported.
 */
class InputValidationTest {
  @TempDir static Path root;
  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> config = TestApp.config(root.resolve("server"), "input");
    config.put("workers", "false"); // accepted creations are stored and started, never run
    config.put("collection.enabled", "false");
    config.put("localEngine.portRange", PortBlock.free(5).range());
    app = TestApp.start(config);
  }

  @AfterAll
  static void stop() {
    app.close();
    TestProcesses.stopAllUnder(root);
  }

  private static Map<String, Object> request(String name) {
    return LocalEngineTest.request(name, "single", null);
  }

  private static void assertRejected(Map<String, Object> body, String field) {
    long before = instances();
    TestApp.Reply r = app.post("/v1/instances", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.json().get("message").asText()).startsWith(field);
    assertThat(instances()).as("a rejected request stores nothing").isEqualTo(before);
  }

  private static long instances() {
    return app.application().parts().db().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM instance_list")
        .mapTo(Long.class).one());
  }

  @Test
  void wrongJsonTypesAreRejectedNotCoerced() {
    Map<String, Object> named = request("typed");
    named.put("name", true);
    assertRejected(named, "name");
    Map<String, Object> fraction = request("fraction");
    fraction.put("backup", Map.of("retentionDays", 1.5, "preferredTime", "03:00"));
    assertRejected(fraction, "backup.retentionDays");
    Map<String, Object> numberAsText = request("numtext");
    numberAsText.put("clientToken", 12345);
    assertRejected(numberAsText, "clientToken");
  }

  @Test
  void engineAndTopologyAreOneOfTheirValuesExactly() {
    // typed in the service, strings on the wire: an unknown value is a 422 naming the field and the
    // allowed values, not a JSON binding error; no case folding, and "external" is for registration only
    for (String engine : List.of("oracle", "LOCAL", "Aliyun", "external", " local")) {
      Map<String, Object> r = request("eng");
      r.put("engine", engine);
      assertRejected(r, "engine");
      assertThat(app.post("/v1/instances", r).json().get("message").asText()).isEqualTo("engine: must be local or aliyun");
    }
    for (String topology : List.of("triple", "SINGLE", "master_slave", "")) {
      Map<String, Object> r = request("topo");
      r.put("topology", topology);
      assertRejected(r, "topology");
      assertThat(app.post("/v1/instances", r).json().get("message").asText())
          .isEqualTo(topology.isEmpty() ? "topology: is required" : "topology: must be single or master-slave");
    }
    TestApp.Reply register = app.post("/v1/instances/register", Map.of("engine", "local", "name", "reg"));
    assertThat(register.status()).as(register.toString()).isEqualTo(422);
    assertThat(register.json().get("message").asText()).isEqualTo("engine: must be external or aliyun");
  }

  @Test
  void mysql55IsRefusedForTheLocalEngine() {
    Map<String, Object> r = request("old55");
    r.put("engineVersion", "5.5");
    assertRejected(r, "engineVersion");
    // refused as 5.5, not merely as "not this machine's binaries" (which would hold for any other version)
    assertThat(app.post("/v1/instances", r).json().get("message").asText()).contains("MySQL 5.5 is not served by the local engine");
  }

  @Test
  void aSizeThatOverflowsIsOutOfRangeNotOneGibibyte() {
    Map<String, Object> r = request("overflow");
    r.put("parameters", Map.of("innodb_buffer_pool_size", "17179869185G"));
    assertRejected(r, "parameters.innodb_buffer_pool_size");
  }

  @Test
  void namesAndCharsetsAreAsciiByTheServersRules() {
    Map<String, Object> kelvin = request("kelvin");
    kelvin.put("databases", List.of(Map.of("name", "shop", "charset", "gb\u212a")));
    assertRejected(kelvin, "databases[0].charset");
    for (String name : List.of("app\u202euser", "app\u200duser", "\u0430pp_user", "app\ud800user")) {
      Map<String, Object> r = request("acct" + Math.abs(name.hashCode()));
      r.put("accounts", List.of(Map.of("name", name, "password", "Passw0rd!x", "privileges", List.of())));
      assertRejected(r, "accounts[0].name");
    }
  }

  @Test
  void placementMustNameARegisteredHostAndIsNotEchoedWhole() {
    Map<String, Object> shell = request("shellhost");
    String hostile = "$(touch /tmp/x);" + "\u202e".repeat(10) + "x".repeat(110);
    shell.put("placement", Map.of("master", hostile));
    assertRejected(shell, "placement.master");
    Map<String, Object> unknown = request("nohost");
    unknown.put("placement", Map.of("master", "db-host-that-never-registered"));
    assertRejected(unknown, "placement.master");
    assertThat(app.post("/v1/instances", unknown).json().get("message").asText()).contains("no registered host");
  }

  @Test
  void aHugeFieldOrABadTokenIsNotEchoedBack() {
    Map<String, Object> huge = request("huge");
    huge.put("timeZone", "Z".repeat(1_000_000));
    TestApp.Reply r = app.post("/v1/instances", huge);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body().length()).as("answer size").isLessThan(500);
    TestApp.Reply bad = app.post("/v1/instances", "{\"name\": UnquotedSecretMarker77}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).doesNotContain("UnquotedSecretMarker77").contains("line 1");
  }

  @Test
  void aBodyShorterThanItsContentLengthIsA400Promptly() throws Exception {
    URI uri = URI.create(app.url("/v1/instances"));
    String auth = java.util.Base64.getEncoder().encodeToString(("admin:" + TestApp.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    long start = System.nanoTime();
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/instances HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth
          + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"name\":\"short\"").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(statusLine).startsWith("HTTP/1.1 400");
      assertThat(seconds).as("answered within").isLessThan(15);
    }
  }

  @Test
  void concurrentCreationsWithOneNameMakeOneInstance() throws Exception {
    List<TestApp.Reply> replies = concurrently(10, i -> {
      Map<String, Object> r = request("dupname");
      r.put("clientToken", "dup-" + i);
      return r;
    });
    Map<Integer, Long> byStatus = replies.stream().collect(Collectors.groupingBy(TestApp.Reply::status, Collectors.counting()));
    assertThat(byStatus).as(replies.toString()).containsEntry(202, 1L).containsEntry(422, 9L);
    long stored = app.application().parts().db().jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM instance_list WHERE ins_name = 'dupname'").mapTo(Long.class).one());
    assertThat(stored).isEqualTo(1L);
  }

  @Test
  void concurrentCreationsWithOneClientTokenAllGetTheSameInstance() throws Exception {
    List<TestApp.Reply> replies = concurrently(20, i -> {
      Map<String, Object> r = request("tokened");
      r.put("clientToken", "one-token");
      return r;
    });
    assertThat(replies).as(replies.toString()).allMatch(r -> r.status() == 202);
    Set<String> ids = replies.stream().map(r -> r.json().get("instanceId").asText()).collect(Collectors.toSet());
    assertThat(ids).hasSize(1);
  }

  interface Body {
    Map<String, Object> make(int i);
  }

  private static List<TestApp.Reply> concurrently(int n, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Callable<TestApp.Reply>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Map<String, Object> b = new LinkedHashMap<>(body.make(i));
        calls.add(() -> app.post("/v1/instances", b));
      }
      List<TestApp.Reply> out = new ArrayList<>();
      for (Future<TestApp.Reply> f : pool.invokeAll(calls)) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}

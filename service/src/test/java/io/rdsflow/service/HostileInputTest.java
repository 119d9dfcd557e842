package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated hostile input against a running service: valid requests of every writing call, each with
 * one field replaced by a hostile value (wrong JSON types, huge or nested values, control, bidi,
 * zero-width, look-alike and lone-surrogate characters, out-of-range numbers), a field removed, an
 * unknown field added, or the body broken. Every secret sent carries a marker. For every request: no
 * 5xx, a rejected request stores nothing, no response echoes a marker; afterwards no log line holds one
 * and the service is healthy. Seeded: a failure names the seed and request to replay.
 */
class HostileInputTest {
  private static final int REQUESTS = 1200;
  private static final long SEED = Long.getLong("hostile.seed", 20261130L);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> TABLES = List.of("instance_list", "instance_accounts", "instance_databases",
      "aliyun_accounts", "custom_metrics", "tasks");

  @TempDir Path root;

  @Test
  void generatedHostileRequestsGetNo5xxStoreNothingWhenRejectedAndEchoNoSecret() throws Exception {
    Map<String, String> config = TestApp.config(root.resolve("server"), "hostile");
    config.put("workers", "false"); // accepted creations are stored, none is run
    config.put("collection.enabled", "false");
    config.put("localEngine.portRange", PortBlock.free(5).range());
    Random random = new Random(SEED);
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    List<String> markers = new ArrayList<>();
    try (LogCapture logs = new LogCapture(); TestApp app = TestApp.start(config)) {
      Jdbi jdbi = app.application().parts().db().jdbi();
      String version = LocalEngineTest.localVersion();
      for (int i = 0; i < REQUESTS; i++) {
        String marker = "SecretMarker" + i + "x" + Integer.toHexString(random.nextInt());
        markers.add(marker);
        Call call = call(random, i, version, marker);
        String body = mutate(random, call.body(), marker);
        Map<String, Long> before = counts(jdbi);
        TestApp.Reply reply = app.send(call.method(), call.path(), body, TestApp.ADMIN_PASSWORD, "admin");
        statuses.merge(reply.status(), 1, Integer::sum);
        String where = "request " + i + " (seed " + SEED + "): " + call.method() + " " + call.path() + " "
            + abbreviate(body) + " -> " + abbreviate(reply.toString());
        if (reply.status() >= 500) {
          failures.add("5xx: " + where);
        }
        if (reply.body().contains(marker)) {
          failures.add("echoed a secret: " + where);
        }
        if (reply.body().length() > 2000) {
          failures.add("answer of " + reply.body().length() + " characters: " + where);
        }
        if (reply.status() >= 400 && !counts(jdbi).equals(before)) {
          failures.add("rejected but stored: " + where + " " + before + " -> " + counts(jdbi));
        }
        if (failures.size() > 20) {
          break;
        }
      }
      assertThat(app.send("GET", "/healthz", null, null, null).status()).as("healthy afterwards").isEqualTo(200);
      String logged = logs.all();
      markers.stream().filter(logged::contains).findFirst().ifPresent(m -> failures.add("a secret marker in the log: " + m));
    } finally {
      TestProcesses.stopAllUnder(root);
      System.out.println("hostile input: " + REQUESTS + " requests, statuses " + statuses);
    }
    assertThat(failures).as("statuses " + statuses).isEmpty();
    assertThat(statuses.keySet()).as("the generator reaches both outcomes").contains(422).anyMatch(s -> s < 300);
  }

  private record Call(String method, String path, ObjectNode body) {}

  /** A valid request of one of the writing calls, its secrets carrying the marker. */
  private static Call call(Random r, int i, String version, String marker) {
    String uid = String.valueOf(10_000_000_000L + r.nextInt(1_000_000));
    return switch (r.nextInt(5)) {
      case 0, 1 -> {
        ObjectNode b = F.objectNode().put("name", "h" + i).put("engine", "local").put("engineVersion", version)
            .put("topology", r.nextBoolean() ? "single" : "master-slave").put("timeZone", "Asia/Shanghai")
            .put("clientToken", "tok-" + (r.nextInt(40)));
        b.putObject("parameters").put("innodb_buffer_pool_size", "64M").put("max_connections", "200");
        b.putArray("whitelist").add("10.0.0.0/8");
        ObjectNode account = b.putArray("accounts").addObject().put("name", "app_" + i).put("password", "Aa1!" + marker);
        account.putArray("privileges").addObject().put("database", "db" + i).put("privilege", "ReadWrite");
        b.putArray("databases").addObject().put("name", "db" + i).put("charset", "utf8mb4");
        b.putObject("backup").put("retentionDays", 7).put("preferredTime", "03:00");
        yield new Call("POST", "/v1/instances", b);
      }
      case 2 -> new Call("POST", "/v1/accounts", F.objectNode().put("aliyunUid", uid).put("accessKeyId", "LTAI" + i + "abcdefghij")
          .put("accessKeySecret", marker + "abcdefghij").put("regionId", "cn-hangzhou").put("name", "acct" + i));
      case 3 -> new Call("PUT", "/v1/accounts/" + uid + "/credentials", F.objectNode().put("accessKeyId", "LTAI" + i + "abcdefghij")
          .put("accessKeySecret", marker + "abcdefghij"));
      default -> {
        ObjectNode b = F.objectNode().put("name", "m" + i).put("sql", "SELECT COUNT(*) AS n FROM information_schema.TABLES")
            .put("valueColumn", "n").put("intervalSeconds", 60).put("maxRows", 10).put("help", "tables");
        b.putObject("selector").put("team", "payments");
        b.putArray("labelColumns");
        yield new Call("POST", "/v1/custom-metrics", b);
      }
    };
  }

  /** The body with one hostile change, as text (sometimes not JSON at all). */
  private static String mutate(Random r, ObjectNode body, String marker) throws Exception {
    List<String> paths = new ArrayList<>();
    collect(body, "", paths);
    String path = paths.get(r.nextInt(paths.size()));
    switch (r.nextInt(10)) {
      case 0 -> {
        return switch (r.nextInt(5)) {
          case 0 -> "{\"name\": " + marker + "}"; // an unquoted token that the parser would quote back
          case 1 -> JSON.writeValueAsString(body).substring(0, 1 + r.nextInt(20));
          case 2 -> "[" + JSON.writeValueAsString(body) + "]";
          case 3 -> "{".repeat(2000 + r.nextInt(2000));
          default -> "\u0000\ufeff" + JSON.writeValueAsString(body);
        };
      }
      case 1 -> remove(body, path);
      case 2 -> body.put("unexpected_field", marker); // its name may be echoed (names are not secrets), its value never
      default -> {
        // secrets carry the marker; other fields get probes, which may legitimately be quoted back
        boolean secret = path.endsWith("/password") || path.endsWith("/accessKeySecret");
        replace(body, path, hostile(r, secret ? marker : "probe"));
      }
    }
    return JSON.writeValueAsString(body);
  }

  static JsonNode hostile(Random r, String marker) {
    String[] nasty = {"\u202eevil", "a\u200db", "\u0430dmin", "x\ud800y", "gb\u212a", "\t\n\r", "'; DROP TABLE instance_list; --",
        "$(touch /tmp/pwned)", "../../etc/passwd", "%00", "\u0000", "NaN", "", " ", "null", "true", "10.0.0.0/33", "999.1.1.1",
        "25:61", "17179869185G", "-1", "99999999999999999999", "Asia/Nowhere", "+15:00", "latin1 ", "LATIN1", marker};
    return switch (r.nextInt(12)) {
      case 0 -> F.booleanNode(r.nextBoolean());
      case 1 -> F.numberNode(r.nextInt(3) == 0 ? 1.5 : r.nextLong());
      case 2 -> F.nullNode();
      case 3 -> F.textNode("x".repeat(1 + r.nextInt(3) * 400_000) + marker);
      case 4 -> nested(r.nextInt(3) == 0 ? 900 : 50); // deeper ones are sent as raw text (case 0 of mutate)
      case 5 -> F.arrayNode().add(marker).add(F.objectNode().put("k", marker));
      case 6 -> F.objectNode().putNull("team").put(marker, 1);
      case 7 -> F.textNode("SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000) + " AS n");
      case 8 -> F.textNode("SELECT '" + "y".repeat(9900) + "' AS n");
      default -> F.textNode(nasty[r.nextInt(nasty.length)]);
    };
  }

  private static JsonNode nested(int depth) {
    ArrayNode top = F.arrayNode();
    ArrayNode a = top;
    for (int i = 0; i < depth; i++) {
      a = a.addArray();
    }
    return top;
  }

  private static void collect(JsonNode node, String prefix, List<String> out) {
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(f -> {
        String p = prefix + "/" + f;
        out.add(p);
        collect(node.get(f), p, out);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String p = prefix + "/" + i;
        out.add(p);
        collect(node.get(i), p, out);
      }
    }
  }

  private static void remove(ObjectNode body, String path) {
    JsonNode parent = body.at(path.substring(0, path.lastIndexOf('/')));
    String last = path.substring(path.lastIndexOf('/') + 1);
    if (parent instanceof ObjectNode o) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(Integer.parseInt(last));
    }
  }

  private static void replace(ObjectNode body, String path, JsonNode value) {
    JsonNode parent = body.at(path.substring(0, path.lastIndexOf('/')));
    String last = path.substring(path.lastIndexOf('/') + 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      a.set(Integer.parseInt(last), value);
    }
  }

  private static Map<String, Long> counts(Jdbi jdbi) {
    Map<String, Long> counts = new TreeMap<>();
    jdbi.useHandle(h -> {
      for (String t : TABLES) {
        counts.put(t, h.createQuery("SELECT COUNT(*) FROM " + t).mapTo(Long.class).one());
      }
    });
    return counts;
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
  }
}

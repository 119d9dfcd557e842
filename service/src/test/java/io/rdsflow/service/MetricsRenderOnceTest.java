package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.activities.collect.CollectionDao;
import io.rdsflow.activities.collect.Sample;
import io.rdsflow.activities.collect.Target;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics renders the per-target series once per snapshot change: two scrapes with no new snapshot between them
 * serve the same per-target bytes, a new snapshot changes them; gzip is served when asked (Content-Encoding, and the
 * same text once decompressed); promtool accepts both.
 */
class MetricsRenderOnceTest {
  @TempDir Path dataDir;

  private static Target target(String id, String name) {
    Map<String, String> labels = new LinkedHashMap<>(); // in this order: "role" clashes with the identity's
    labels.put("team", "pay.ments");
    labels.put("role", "clash");
    return new Target(id + ":master", "external", id, name, "external", null, "master", "127.0.0.1", 3306, "monitor", "x",
        labels, id, null, null);
  }

  private static List<Sample> samples(double questions) {
    return List.of(Sample.gauge("threads_connected", 7), Sample.counter("questions", questions),
        Sample.gauge("sessions_by_client", "client", "10.0.0.5:3306 \"x\"\\", 2),
        Sample.gauge("global_variable", "variable", "max_connections", 151));
  }

  @Test
  void theSameBytesUntilASnapshotChangesAndGzipWhenAsked() throws Exception {
    Map<String, String> config = TestApp.config(dataDir, "metrics_render");
    config.put("collection.enabled", "false"); // only the snapshots written here
    try (TestApp app = TestApp.start(config)) {
      CollectionDao dao = new CollectionDao(app.application().parts().db().jdbi());
      Instant now = Instant.now();
      dao.writeSnapshot(target("ext-a", "orders.db"), now, 3_600_000, true, null, samples(100), null);
      dao.writeSnapshot(target("ext-b", "crm"), now, 3_600_000, true, null, samples(200), null);
      dao.writeSnapshot(target("ext-old", "gone"), now.minusSeconds(600), 60_000, true, null, samples(300), null);
      HttpClient http = HttpClient.newHttpClient();

      String first = perTarget(get(http, app, false).body());
      Thread.sleep(1_100); // past the publisher's one-second re-check: it reads the stamps again, nothing changed
      HttpResponse<byte[]> plain = get(http, app, false);
      String second = perTarget(plain.body());
      assertThat(second).isEqualTo(first);
      assertThat(second).contains("# TYPE rds_questions_total counter",
          "rds_questions_total{instance_id=\"ext-a\",instance_name=\"orders.db\",engine=\"external\",aliyun_uid=\"\",role=\"master\",} 100.0",
          "rds_sessions_by_client{instance_id=\"ext-b\",instance_name=\"crm\",engine=\"external\",aliyun_uid=\"\",role=\"master\","
              + "client=\"10.0.0.5:3306 \\\"x\\\"\\\\\",} 2.0",
          "rds_instance_info{instance_id=\"ext-a\",instance_name=\"orders.db\",engine=\"external\",aliyun_uid=\"\",role=\"master\","
              + "team=\"pay.ments\",label_role=\"clash\",} 1.0",
          "rds_up{instance_id=\"ext-old\",instance_name=\"gone\",engine=\"external\",aliyun_uid=\"\",role=\"master\",} 0.0");
      assertThat(second).doesNotContain("instance_id=\"ext-old\",instance_name=\"gone\",engine=\"external\",aliyun_uid=\"\",role=\"master\",} 300.0");
      assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
      Promtool.assertAccepts(new String(plain.body(), StandardCharsets.UTF_8), dataDir);

      HttpResponse<byte[]> zipped = get(http, app, true);
      assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
      byte[] unzipped = gunzip(zipped.body());
      assertThat(zipped.body().length).isLessThan(unzipped.length / 3);
      assertThat(perTarget(unzipped)).isEqualTo(second);
      assertThat(families(unzipped)).isEqualTo(families(plain.body())); // the live part too, its values aside
      Promtool.assertAccepts(new String(unzipped, StandardCharsets.UTF_8), dataDir);

      dao.writeSnapshot(target("ext-a", "orders.db"), now.plusSeconds(1), 3_600_000, true, null, samples(150), null);
      Thread.sleep(1_100);
      String third = perTarget(get(http, app, false).body());
      assertThat(third).isNotEqualTo(second).contains("role=\"master\",} 150.0").doesNotContain("role=\"master\",} 100.0");
      assertThat(perTarget(gunzip(get(http, app, true).body()))).isEqualTo(third);
    }
  }

  private static HttpResponse<byte[]> get(HttpClient http, TestApp app, boolean gzip) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.url("/metrics")));
    if (gzip) {
      b.header("Accept-Encoding", "gzip");
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r;
  }

  /** The lines of the per-target families (rds_*, mysql_*), headers included, in the order served. */
  private static String perTarget(byte[] body) {
    return new String(body, StandardCharsets.UTF_8).lines()
        .filter(l -> l.matches("^(# (HELP|TYPE) )?(rds|mysql)_.*")).collect(Collectors.joining("\n"));
  }

  private static List<String> families(byte[] body) {
    return new String(body, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("# TYPE ")).toList();
  }

  /** Every gzip member, as a gzip reader does. */
  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}

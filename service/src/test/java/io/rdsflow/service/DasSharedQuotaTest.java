package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.testkit.aliyun.DasSession;
import io.rdsflow.testkit.aliyun.OpenApiSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DAS quota is shared by the calls of every account (seed 000): three accounts collected at once send, all
 * together, no more calls per second than the shared limit, measured by the simulator (whose DAS bucket is shared
 * too, so any excess would be answered Throttling.User). Each target still finishes within its budget although its
 * calls queue behind the other groups' (the wait for the quota is not counted), and the period check reports that
 * the configured DAS period is shorter than the pass.
 */
class DasSharedQuotaTest {
  static final String ACTION = "GetMySQLAllSessionAsync";
  static final int RATE = 20;
  static final int ACCOUNTS = 3;
  static final int PER_ACCOUNT = 40;
  @TempDir Path root;

  @Test
  void accountsTogetherStayUnderTheSharedRate() throws Exception {
    OpenApiSimulator.Builder b = OpenApiSimulator.builder().dasThrottleRps(RATE).dasQuotaShared(true);
    for (int a = 1; a <= ACCOUNTS; a++) {
      b.account(uid(a), "LTAIsharedQuota000" + a, "sharedQuotaSecret00000000000000" + a);
    }
    OpenApiSimulator sim = b.start();
    AtomicBoolean sampling = new AtomicBoolean(true);
    List<long[]> samples = new ArrayList<>(); // {nanoTime, DAS calls answered so far}
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        long calls = sim.stats().calls(ACTION);
        synchronized (samples) {
          samples.add(new long[] {System.nanoTime(), calls});
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "das-call-sampler");
    try {
      for (int a = 1; a <= ACCOUNTS; a++) {
        for (int i = 0; i < PER_ACCOUNT; i++) {
          sim.rds().registerInstance(uid(a), instance(a, i));
          sim.das().setSessions(instance(a, i), List.of(DasSession.sleeping(1, "app", "10.0.0." + a, "shop", 3)));
        }
      }
      Map<String, String> config = TestApp.config(root, "das_shared_quota");
      config.put("aliyun.rdsEndpoint", sim.endpoint());
      config.put("aliyun.dasEndpoint", sim.endpoint());
      config.put("aliyun.protocol", "HTTP");
      config.put("collection.dasSharedRatePerSecond", String.valueOf(RATE));
      config.put("collection.dasRatePerSecond", String.valueOf(RATE));
      config.put("collection.dasPeriod", "5s"); // a pass of 240 calls needs 12 s at 20/s: the check must say so
      config.put("collection.dasPollInterval", "50ms");
      config.put("collection.targetTimeout", "5s"); // each target queues ~6 s per call behind the other groups
      try (TestApp app = TestApp.start(config)) {
        for (int a = 1; a <= ACCOUNTS; a++) {
          assertThat(app.post("/v1/accounts", Map.of("aliyunUid", uid(a), "accessKeyId", "LTAIsharedQuota000" + a,
              "accessKeySecret", "sharedQuotaSecret00000000000000" + a, "regionId", "cn-shanghai")).status()).isEqualTo(201);
        }
        for (int a = 1; a <= ACCOUNTS; a++) {
          for (int i = 0; i < PER_ACCOUNT; i++) {
            TestApp.Reply r = app.post("/v1/instances/register", Map.of("engine", "aliyun", "aliyunUid", uid(a),
                "instanceId", instance(a, i), "name", "q" + a + "-" + i));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
          }
        }
        sampler.start();
        Metrics m = CollectionTestSupport.scrapeUntil(app, x -> x.find("rds_up", Map.of("engine", "aliyun")).stream()
            .filter(s -> s.value() == 1).count() == ACCOUNTS * PER_ACCOUNT, Duration.ofSeconds(90));
        // wait for one more full pass, measured in steady state
        long callsNow = sim.stats().calls(ACTION);
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sim.stats().calls(ACTION) < callsNow + 2L * ACCOUNTS * PER_ACCOUNT && System.nanoTime() < until) {
          Thread.sleep(200);
        }
        sampling.set(false);
        sampler.join();

        // the busiest second the simulator saw, over every window of at most 1 s between two samples
        long busiest = 0;
        synchronized (samples) {
          for (int i = 0, j = 0; j < samples.size(); j++) {
            while (samples.get(j)[0] - samples.get(i)[0] > 1_000_000_000L) {
              i++;
            }
            busiest = Math.max(busiest, samples.get(j)[1] - samples.get(i)[1]);
          }
          long[] first = samples.get(0);
          long[] last = samples.get(samples.size() - 1);
          double seconds = (last[0] - first[0]) / 1e9;
          double rate = (last[1] - first[1]) / seconds;
          assertThat(last[1] - first[1]).as("DAS calls while sampling").isGreaterThanOrEqualTo(2L * ACCOUNTS * PER_ACCOUNT);
          assertThat(rate).as("DAS calls per second of all accounts over %.1f s", seconds).isLessThanOrEqualTo(RATE * 1.02);
        }
        // one slot every 1/RATE s: at most RATE + 1 calls start in a second; +1 for the answers' jitter
        assertThat(busiest).as("DAS calls in the busiest second (3 accounts, shared limit %d/s)", RATE).isLessThanOrEqualTo(RATE + 2);
        assertThat(sim.stats().throttled(ACTION)).as("calls refused by the simulator's shared bucket").isZero();
        assertThat(app.get("/v1/collections").body()).doesNotContain("timed out");

        m = Metrics.parse(app.send("GET", "/metrics", null, null, null).body());
        assertThat(m.value("rdsflow_das_pass_min_seconds", Map.of()).orElse(-1)).isEqualTo(2.0 * ACCOUNTS * PER_ACCOUNT / RATE);
        assertThat(m.value("rdsflow_das_period_seconds", Map.of()).orElse(-1)).isEqualTo(5);
      }
    } finally {
      sampling.set(false);
      sim.stop();
    }
  }

  private static String uid(int a) {
    return "160000000000000" + a;
  }

  private static String instance(int a, int i) {
    return String.format("rm-quota%dx%05d", a, i);
  }
}

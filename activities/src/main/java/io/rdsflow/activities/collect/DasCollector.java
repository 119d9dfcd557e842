package io.rdsflow.activities.collect;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.codahale.metrics.MetricRegistry;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.AccountDao;
import io.rdsflow.activities.metrics.MetricNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Collects Alibaba Cloud instances through DAS {@code GetMySQLAllSessionAsync} (seed 000): the
 * first call returns a ResultId, later calls with it return the sessions once {@code IsFinish}. One
 * SDK client per account (re-created when its credentials change; the account row is re-read every 5 s,
 * not per call); every call waits for its slot of the {@link DasQuota} (shared by all accounts, and per
 * account) so a steady state stays under the DAS limit; a throttled call is counted, waited out and retried.
 * A target's time budget counts the time its calls take, not the time they wait for the quota: with the
 * quota shared, the calls of every group queue for the same slots, and a pass over the fleet takes
 * (calls ÷ shared rate) whatever the targets do.
 */
public final class DasCollector {
  static final String ACTION = "GetMySQLAllSessionAsync";
  private static final int MAX_ATTEMPTS = 6;

  /** How long a client is used before the account row is read again (a rotation shows within this). */
  private static final long RECHECK_MILLIS = 5_000;

  private record CachedClient(String key, com.aliyun.das20200116.Client client, long checkedAt) {}

  private final AccountDao accounts;
  private final SecretCipher cipher;
  private final MetricRegistry metrics;
  private final String endpoint;
  private final String protocol;
  private final DasQuota quota;
  private final long pollMillis;
  private final Map<String, CachedClient> clients = new ConcurrentHashMap<>();

  /**
   * @param endpoint host[:port] of DAS, empty for the SDK's public endpoint
   * @param pollMillis wait between the calls of one ResultId round trip
   */
  public DasCollector(AccountDao accounts, SecretCipher cipher, MetricRegistry metrics, String endpoint, String protocol,
      DasQuota quota, long pollMillis) {
    this.accounts = accounts;
    this.cipher = cipher;
    this.metrics = metrics;
    this.endpoint = endpoint == null || endpoint.isBlank() ? "das.cn-shanghai.aliyuncs.com" : endpoint;
    this.protocol = protocol;
    this.quota = quota;
    this.pollMillis = pollMillis;
  }

  public DasQuota quota() {
    return quota;
  }

  /** Time spent on one target: all of it but the waits for the quota, which are counted apart. */
  private static final class Budget {
    final long start = System.nanoTime();
    final long limitNanos;
    long queuedNanos;

    Budget(long budgetMillis) {
      this.limitNanos = TimeUnit.MILLISECONDS.toNanos(budgetMillis);
    }

    void check(long budgetMillis) throws TimeoutException {
      if (System.nanoTime() - start - queuedNanos > limitNanos) {
        throw new TimeoutException("timed out after " + budgetMillis + " ms");
      }
    }
  }

  /**
   * The sessions of {@code t}.
   *
   * @param budgetMillis the target's time budget, not counting the waits for the quota
   * @throws TimeoutException when the calls took longer than the budget
   */
  @SuppressWarnings("unchecked")
  public List<Sample> collect(Target t, long budgetMillis) throws Exception {
    Budget budget = new Budget(budgetMillis);
    com.aliyun.das20200116.Client client = client(t.aliyunUid());
    String resultId = null;
    for (int round = 0; round < 60; round++) {
      Map<String, Object> data = (Map<String, Object>) call(client, t, resultId, budget).get("Data");
      budget.check(budgetMillis);
      if (data == null) {
        throw new IllegalStateException("DAS answered without Data");
      }
      if (Boolean.TRUE.equals(data.get("Fail")) || "FAIL".equals(data.get("State"))) {
        throw new IllegalStateException("DAS session query failed for " + t.cloudId() + " (State " + data.get("State") + ")");
      }
      if (Boolean.TRUE.equals(data.get("IsFinish")) && data.get("SessionData") != null) {
        return samples((Map<String, Object>) data.get("SessionData"));
      }
      resultId = String.valueOf(data.get("ResultId"));
      Thread.sleep(pollMillis);
      budget.check(budgetMillis);
    }
    throw new IllegalStateException("DAS session query for " + t.cloudId() + " did not finish");
  }

  private Map<String, Object> call(com.aliyun.das20200116.Client client, Target t, String resultId, Budget budget) throws Exception {
    Params params = new Params().setAction(ACTION).setVersion("2020-01-16").setProtocol(protocol).setMethod("POST")
        .setPathname("/").setAuthType("AK").setStyle("RPC").setReqBodyType("formData").setBodyType("json");
    Map<String, String> query = new HashMap<>();
    query.put("InstanceId", t.cloudId());
    if (resultId != null) {
      query.put("ResultId", resultId);
    }
    RuntimeOptions runtime = new RuntimeOptions();
    runtime.ignoreSSL = !"HTTPS".equals(protocol);
    runtime.connectTimeout = 5000;
    runtime.readTimeout = 10000;
    for (int attempt = 1; ; attempt++) {
      budget.queuedNanos += quota.acquire(t.aliyunUid());
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) client.callApi(params, new OpenApiRequest().setQuery(query), runtime).get("body");
        count("200");
        return body;
      } catch (TeaException e) {
        String code = e.getCode() == null ? "Unknown" : e.getCode();
        count(code);
        boolean throttled = code.startsWith("Throttling");
        if (throttled) {
          metrics.meter(MetricRegistry.name("rdsflow", "cloud", "api", "throttled", ACTION)).mark();
        }
        boolean retry = throttled || (e.getStatusCode() != null && e.getStatusCode() >= 500) || code.equals("SignatureNonceUsed");
        if (!retry || attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException(code + ": " + e.getMessage());
        }
        long backoff = Math.min(2000, 100L << attempt);
        Thread.sleep(backoff);
        if (throttled) { // waiting out the quota, as above
          budget.queuedNanos += TimeUnit.MILLISECONDS.toNanos(backoff);
        }
      }
    }
  }

  private void count(String code) {
    metrics.meter(MetricRegistry.name("rdsflow", "cloud", "api", "requests", ACTION, MetricNames.segment(code))).mark();
  }

  @SuppressWarnings("unchecked")
  static List<Sample> samples(Map<String, Object> data) {
    List<Sample> out = new ArrayList<>();
    out.add(Sample.gauge("sessions", "state", "total", number(data.get("TotalSessionCount"))));
    out.add(Sample.gauge("sessions", "state", "active", number(data.get("ActiveSessionCount"))));
    stats((List<Map<String, Object>>) data.get("UserStats"), "sessions_by_user", "user", out);
    stats((List<Map<String, Object>>) data.get("ClientStats"), "sessions_by_client", "client", out);
    stats((List<Map<String, Object>>) data.get("DbStats"), "sessions_by_db", "db", out);
    out.add(Sample.gauge("session_max_active_seconds", number(data.get("MaxActiveTime"))));
    return out;
  }

  private static void stats(List<Map<String, Object>> stats, String metric, String label, List<Sample> out) {
    if (stats == null) {
      return;
    }
    for (Map<String, Object> s : stats) {
      Object key = s.get("Key");
      if (key != null && !String.valueOf(key).isEmpty()) {
        out.add(Sample.gauge(metric, label, String.valueOf(key), number(s.get("TotalCount"))));
      }
    }
  }

  private static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : o == null ? 0 : Double.parseDouble(o.toString());
  }

  private com.aliyun.das20200116.Client client(String uid) throws Exception {
    CachedClient recent = clients.get(uid);
    long now = System.currentTimeMillis();
    if (recent != null && now - recent.checkedAt() < RECHECK_MILLIS) {
      return recent.client();
    }
    AccountDao.AliyunAccount a = accounts.find(uid)
        .orElseThrow(() -> new IllegalStateException("Alibaba Cloud account " + uid + " is not configured"));
    String key = a.accessKeyId() + "|" + digest(a.encryptedSecret());
    if (recent != null && recent.key().equals(key)) {
      clients.put(uid, new CachedClient(key, recent.client(), now));
      return recent.client();
    }
    Config config = new Config().setAccessKeyId(a.accessKeyId()).setAccessKeySecret(cipher.decrypt(a.encryptedSecret()))
        .setEndpoint(endpoint).setProtocol(protocol).setRegionId(a.regionId());
    com.aliyun.das20200116.Client client = new com.aliyun.das20200116.Client(config);
    clients.put(uid, new CachedClient(key, client, now));
    return client;
  }

  private static String digest(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}

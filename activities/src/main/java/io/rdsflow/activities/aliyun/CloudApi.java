package io.rdsflow.activities.aliyun;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaUnretryableException;
import com.aliyun.teautil.models.RuntimeOptions;
import com.codahale.metrics.MetricRegistry;
import com.google.common.util.concurrent.RateLimiter;
import io.rdsflow.activities.metrics.MetricNames;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every RDS OpenAPI call of the aliyun engine goes through here: it is counted
 * ({@code rdsflow.cloud.api.requests.<api>.<code>}, code {@code 200} for success, and
 * {@code rdsflow.cloud.api.throttled.<api>}; meters, exported as counters), its failure is classified
 * (see {@link CloudError}), and a retryable failure is retried with exponential backoff and jitter for
 * up to {@link AliyunSettings#callBudget()}, reporting liveness meanwhile. What the budget does not
 * absorb is left to Temporal's retry of the step. The SDK's own retry is off. With
 * {@link AliyunSettings#apiRatePerSecond()} set, calls are paced per account and API in this process,
 * so a burst of work queues here instead of being answered {@code Throttling.User}.
 */
public final class CloudApi {
  private static final Logger LOG = LoggerFactory.getLogger(CloudApi.class);
  /** Answers meaning "not in this state yet": waiting fixes them. */
  static final Set<String> WRONG_STATE = Set.of("IncorrectDBInstanceState", "OperationDenied.DBInstanceStatus",
      "IncorrectDBInstanceStatus", "IncorrectAccountStatus", "IncorrectDBStatus", "OperationDenied.DBStatus",
      "OperationDenied.AccountStatus", "TaskConflict");
  static final String SUCCESS = "200";
  static final String NETWORK_ERROR = "NetworkError";

  /** One SDK call with the runtime options to use. */
  @FunctionalInterface
  public interface Call<T> {
    T run(RuntimeOptions runtime) throws Exception;
  }

  /** Looks in the cloud (Describe calls) whether a change is in effect already. */
  @FunctionalInterface
  public interface Check {
    boolean applied();
  }

  private final MetricRegistry metrics;
  private final AliyunSettings settings;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

  public CloudApi(MetricRegistry metrics, AliyunSettings settings) {
    this.metrics = metrics;
    this.settings = settings;
  }

  public AliyunSettings settings() {
    return settings;
  }

  /**
   * The call, retried while it fails retryably and the budget lasts. The error thrown is marked
   * {@link CloudError#ambiguous()} when any try may have taken effect.
   *
   * @param heartbeat called while waiting between tries (reports liveness; may throw to stop)
   */
  public <T> T call(AliyunClients.Rds account, String api, Runnable heartbeat, Call<T> call) {
    return call(account, api, settings.callBudget(), heartbeat, call);
  }

  public <T> T call(AliyunClients.Rds account, String api, Duration budget, Runnable heartbeat, Call<T> call) {
    long deadline = System.nanoTime() + budget.toNanos();
    boolean ambiguous = false;
    for (int attempt = 0; ; attempt++) {
      try {
        return once(account, api, heartbeat, call);
      } catch (CloudError e) {
        ambiguous |= e.ambiguous();
        backOffOrThrow(api, e, ambiguous ? e.asAmbiguous() : e, attempt, deadline, heartbeat, "try " + (attempt + 2) + " again");
      }
    }
  }

  /**
   * A call that changes something in the cloud, retried like {@link #call} but never blindly after a try
   * that may have taken effect: a 5xx, a dropped connection or a reused nonce can hide a change that was
   * made (its answer lost), so before the next try {@code applied} looks whether the change is there, and
   * when it is the call is not sent again. A failed look is retried like a failed call.
   *
   * @return true when this call's own answer was a success, false when an earlier try whose answer was
   *     lost was found to have taken effect
   */
  public boolean mutate(AliyunClients.Rds account, String api, Runnable heartbeat, Check applied, Call<?> call) {
    long deadline = System.nanoTime() + settings.callBudget().toNanos();
    boolean ambiguous = false; // some try may have taken effect
    boolean unsure = false; // ... and nobody has looked since
    for (int attempt = 0; ; attempt++) {
      boolean looking = unsure;
      try {
        if (looking) {
          if (applied.applied()) {
            LOG.info("{}: an earlier try whose answer was lost took effect; not sent again", api);
            return false;
          }
          unsure = false;
          looking = false;
        }
        once(account, api, heartbeat, call);
        return true;
      } catch (CloudError e) {
        if (!looking && e.ambiguous()) {
          ambiguous = true;
          unsure = true;
        }
        backOffOrThrow(api, e, ambiguous ? e.asAmbiguous() : e, attempt, deadline, heartbeat,
            unsure ? "look whether it took effect" : "try again");
      }
    }
  }
  /** Throws {@code reported} unless {@code e} may be retried within the budget; otherwise waits the backoff. */
  private void backOffOrThrow(String api, CloudError e, CloudError reported, int attempt, long deadline, Runnable heartbeat,
      String next) {
    if (!e.retryable()) {
      throw reported;
    }
    long wait = backoffMillis(attempt);
    if (System.nanoTime() + wait * 1_000_000 > deadline) {
      throw reported;
    }
    LOG.debug("{} failed ({}), {} in {} ms", api, e.code(), next, wait);
    pause(Duration.ofMillis(wait), heartbeat);
  }


  /** One try: paced, counted and classified, never retried. */
  public <T> T once(AliyunClients.Rds account, String api, Call<T> call) {
    return once(account, api, () -> { }, call);
  }

  private <T> T once(AliyunClients.Rds account, String api, Runnable heartbeat, Call<T> call) {
    pace(account.uid(), api, heartbeat);
    RuntimeOptions runtime = new RuntimeOptions()
        .setAutoretry(false)
        .setIgnoreSSL(false)
        .setConnectTimeout((int) settings.connectTimeout().toMillis())
        .setReadTimeout((int) settings.readTimeout().toMillis());
    try {
      T result = call.run(runtime);
      count(api, SUCCESS);
      return result;
    } catch (Exception e) {
      CloudError error = classify(api, e);
      count(api, error.code());
      if (error.code().startsWith("Throttling")) {
        metrics.meter(MetricRegistry.name("rdsflow", "cloud", "api", "throttled", api)).mark();
      }
      throw error;
    }
  }

  /** Sleeps in slices, calling {@code heartbeat} before each, so a long wait still reports liveness. */
  public static void pause(Duration d, Runnable heartbeat) {
    long end = System.nanoTime() + d.toNanos();
    while (true) {
      heartbeat.run();
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(2000, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting to call the cloud again", e);
      }
    }
  }

  private void pace(String uid, String api, Runnable heartbeat) {
    if (settings.apiRatePerSecond() <= 0) {
      return;
    }
    RateLimiter limiter = limiters.computeIfAbsent(uid + "|" + api, k -> RateLimiter.create(settings.apiRatePerSecond()));
    while (!limiter.tryAcquire(Duration.ofSeconds(2))) {
      heartbeat.run();
    }
  }

  private long backoffMillis(int attempt) {
    long base = settings.retryInitialBackoff().toMillis() << Math.min(attempt, 16);
    long capped = Math.max(1, Math.min(settings.retryMaxBackoff().toMillis(), base));
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }

  private void count(String api, String code) {
    metrics.meter(MetricRegistry.name("rdsflow", "cloud", "api", "requests", api, MetricNames.segment(code))).mark();
  }

  static CloudError classify(String api, Exception e) {
    if (e instanceof CloudError c) {
      return c;
    }
    if (e instanceof TeaException t) {
      Map<String, Object> data = t.getData();
      Integer status = t.getStatusCode();
      if (status == null && data != null && data.get("statusCode") instanceof Number n) {
        status = n.intValue();
      }
      int http = status == null ? 0 : status;
      String code = t.getCode() == null || t.getCode().isBlank() || t.getCode().equals("null")
          ? (http > 0 ? "HTTP" + http : "ClientError") : t.getCode();
      String message = data != null && data.get("Message") != null ? String.valueOf(data.get("Message")) : t.getMessage();
      String requestId = data != null && data.get("RequestId") != null ? String.valueOf(data.get("RequestId")) : null;
      boolean serverSide = http >= 500;
      boolean nonceReused = code.equals("SignatureNonceUsed");
      boolean retryable = serverSide || nonceReused || code.startsWith("Throttling") || WRONG_STATE.contains(code);
      return new CloudError(api, code, message, http, requestId, retryable, serverSide || nonceReused);
    }
    if (e instanceof TeaUnretryableException || e instanceof java.io.IOException) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return new CloudError(api, NETWORK_ERROR, root.getClass().getSimpleName() + ": " + root.getMessage(), 0, null,
          true, true);
    }
    return new CloudError(api, "ClientError", e.getClass().getSimpleName() + ": " + e.getMessage(), 0, null, true, true);
  }
}

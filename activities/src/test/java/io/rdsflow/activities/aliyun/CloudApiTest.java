package io.rdsflow.activities.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaUnretryableException;
import com.codahale.metrics.MetricRegistry;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which cloud answers are retried, how long, and how every call is counted. */
class CloudApiTest {
  static final AliyunClients.Rds ACCOUNT = new AliyunClients.Rds("1000000000000001", "LTAI5tKey", "cn-hangzhou", null);
  final MetricRegistry metrics = new MetricRegistry();
  final AtomicInteger heartbeats = new AtomicInteger();

  CloudApi api(Duration budget) {
    return new CloudApi(metrics, new AliyunSettings("", "HTTP", Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofMillis(10), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMillis(5), Duration.ofMillis(20),
        budget, 0));
  }

  static TeaException tea(int status, String code, String message) {
    Map<String, Object> data = new HashMap<>();
    data.put("Code", code);
    data.put("Message", message);
    data.put("RequestId", "REQ-1");
    data.put("statusCode", status);
    Map<String, Object> map = new HashMap<>();
    map.put("code", code);
    map.put("message", "code: " + status + ", " + message + " request id: REQ-1");
    map.put("data", data);
    return new TeaException(map);
  }

  /** A call that throws the given failures in turn, then answers "ok". */
  static CloudApi.Call<String> failing(Exception... failures) {
    Deque<Exception> left = new ArrayDeque<>(java.util.List.of(failures));
    return rt -> {
      if (!left.isEmpty()) {
        throw left.poll();
      }
      return "ok";
    };
  }

  long count(String name) {
    return metrics.getMeters().containsKey(name) ? metrics.getMeters().get(name).getCount() : 0;
  }

  @Test
  void throttlingServerErrorsWrongStateAndAReusedNonceAreRetriedAndCounted() {
    String result = api(Duration.ofSeconds(5)).call(ACCOUNT, "CreateDBInstance", heartbeats::incrementAndGet, failing(
        tea(400, "Throttling.User", "Request was denied due to user flow control."),
        tea(503, "ServiceUnavailable", "busy"),
        tea(500, "IncorrectDBInstanceState", "Creating"),
        tea(400, "SignatureNonceUsed", "used"),
        new TeaUnretryableException(new ConnectException("Connection refused"))));
    assertThat(result).isEqualTo("ok");
    assertThat(count("rdsflow.cloud.api.requests.CreateDBInstance.Throttling%2EUser")).isEqualTo(1);
    assertThat(count("rdsflow.cloud.api.throttled.CreateDBInstance")).isEqualTo(1);
    assertThat(count("rdsflow.cloud.api.requests.CreateDBInstance.ServiceUnavailable")).isEqualTo(1);
    assertThat(count("rdsflow.cloud.api.requests.CreateDBInstance.NetworkError")).isEqualTo(1);
    assertThat(count("rdsflow.cloud.api.requests.CreateDBInstance.200")).isEqualTo(1);
    assertThat(heartbeats.get()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void authenticationMissingAndInvalidFailAtOnceWithTheCloudsCodeAndMessage() {
    for (TeaException e : java.util.List.of(tea(400, "SignatureDoesNotMatch", "Specified signature does not match."),
        tea(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."),
        tea(400, "MissingDBInstanceId", "DBInstanceId is mandatory."),
        tea(400, "InvalidDBInstanceClass.Malformed", "bad class"))) {
      AtomicInteger calls = new AtomicInteger();
      CloudError error = catchThrowableOfType(CloudError.class, () -> api(Duration.ofSeconds(5)).call(ACCOUNT,
          "CreateDBInstance", () -> { }, rt -> {
            calls.incrementAndGet();
            throw e;
          }));
      assertThat(calls.get()).as(e.getCode()).isEqualTo(1);
      assertThat(error.retryable()).isFalse();
      assertThat(error.ambiguous()).isFalse();
      assertThat(error.code()).isEqualTo(e.getCode());
      assertThat(error.getMessage()).startsWith(e.getCode() + ": " + e.getData().get("Message"))
          .contains("CreateDBInstance, HTTP " + e.getStatusCode() + ", RequestId REQ-1");
    }
  }

  @Test
  void aRetryableFailureThatOutlastsTheBudgetIsThrownRetryableAndRemembersAnAmbiguousTry() {
    AtomicInteger calls = new AtomicInteger();
    CloudError error = catchThrowableOfType(CloudError.class, () -> api(Duration.ofMillis(200)).call(ACCOUNT,
        "CreateDBInstance", () -> { }, rt -> {
          throw calls.incrementAndGet() == 1 ? tea(500, "InternalError", "lost") : tea(400, "Throttling.User", "slow down");
        }));
    assertThat(calls.get()).isGreaterThan(2);
    assertThat(error.retryable()).isTrue();
    assertThat(error.code()).isEqualTo("Throttling.User");
    assertThat(error.ambiguous()).as("the first try may have created something").isTrue();
  }

  @Test
  void aDefinitiveRefusalAfterAnAmbiguousTryIsStillAmbiguous() {
    CloudError error = catchThrowableOfType(CloudError.class, () -> api(Duration.ofSeconds(5)).call(ACCOUNT,
        "CreateDBInstance", () -> { }, failing(tea(500, "InternalError", "lost"), tea(400, "InvalidParameter", "no"))));
    assertThat(error.retryable()).isFalse();
    assertThat(error.ambiguous()).isTrue();
  }

  @Test
  void aChangeWhoseAnswerWasLostIsLookedForAndNotSentAgainWhenItTookEffect() {
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    for (Exception lost : java.util.List.of(tea(500, "InternalError", "lost"), tea(503, "ServiceUnavailable", "lost"),
        tea(400, "SignatureNonceUsed", "re-sent by OkHttp"), new TeaUnretryableException(new java.io.EOFException("dropped")))) {
      sent.set(0);
      looks.set(0);
      boolean answered = api(Duration.ofSeconds(5)).mutate(ACCOUNT, "ModifyParameter", () -> { },
          () -> looks.incrementAndGet() > 0, rt -> {
            sent.incrementAndGet();
            throw lost;
          });
      assertThat(answered).as(lost.toString()).isFalse();
      assertThat(sent.get()).as(lost + ": sent once").isEqualTo(1);
      assertThat(looks.get()).isEqualTo(1);
    }
  }

  @Test
  void aChangeThatDidNotTakeEffectIsSentAgainAndAThrottledOneWithoutLooking() {
    AtomicInteger looks = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    CloudApi.Call<String> call = failing(tea(500, "InternalError", "not applied"), tea(400, "Throttling.User", "slow down"));
    boolean answered = api(Duration.ofSeconds(5)).mutate(ACCOUNT, "ModifySecurityIps", () -> { }, () -> {
      looks.incrementAndGet();
      return false;
    }, rt -> {
      sent.incrementAndGet();
      return call.run(rt);
    });
    assertThat(answered).isTrue();
    assertThat(sent.get()).isEqualTo(3);
    assertThat(looks.get()).as("after the 500 only, not after the throttled try").isEqualTo(1);
  }

  @Test
  void aFailedLookIsRetriedBeforeAnythingIsSentAgain() {
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    boolean answered = api(Duration.ofSeconds(5)).mutate(ACCOUNT, "GrantAccountPrivilege", () -> { }, () -> {
      if (looks.incrementAndGet() == 1) {
        throw new CloudError("DescribeAccounts", "Throttling.User", "slow down", 400, null, true, false);
      }
      return true;
    }, rt -> {
      sent.incrementAndGet();
      throw tea(500, "InternalError", "lost");
    });
    assertThat(answered).isFalse();
    assertThat(sent.get()).isEqualTo(1);
    assertThat(looks.get()).isEqualTo(2);
  }

  @Test
  void aRefusalOfAChangeAfterAnAmbiguousTryIsThrownAmbiguous() {
    CloudError error = catchThrowableOfType(CloudError.class, () -> api(Duration.ofSeconds(5)).mutate(ACCOUNT,
        "CreateAccount", () -> { }, () -> false,
        failing(tea(500, "InternalError", "lost"), tea(400, "InvalidAccountName.Duplicate", "exists"))));
    assertThat(error.duplicate()).isTrue();
    assertThat(error.ambiguous()).isTrue();
  }

  @Test
  void pacingKeepsCallsUnderTheRatePerAccountAndApi() {
    CloudApi paced = new CloudApi(metrics, new AliyunSettings("", "HTTP", Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofMillis(10), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofSeconds(5), 20));
    long start = System.nanoTime();
    for (int i = 0; i < 11; i++) {
      paced.once(ACCOUNT, "DescribeDBInstanceAttribute", rt -> "ok");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
  }
}

package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;

import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.steps.StepFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Waiting on the cloud: the instance until Running, accounts or databases until they show a status. */
final class CloudPolling {
  /** A new instance may be unknown to Describe calls for a short while. */
  private static final Duration NOT_FOUND_GRACE = Duration.ofSeconds(60);

  private final CloudApi api;

  CloudPolling(CloudApi api) {
    this.api = api;
  }

  /**
   * Polls DescribeDBInstanceAttribute until Running. A retryable failure (throttling, 5xx, the endpoint
   * unreachable) only costs a poll; the instance being deleted, or the deadline, fails the step.
   */
  String waitForRunning(Ctx c, String cloudId, Instant deadline, Supplier<String> doing) {
    Instant firstPoll = Instant.now();
    String last = "unknown";
    CloudError lastError = null;
    while (true) {
      try {
        var attribute = describe(c, cloudId, Duration.ZERO);
        last = attribute.getDBInstanceStatus();
        lastError = null;
        if ("Running".equals(last)) {
          return last;
        }
        if (last.equals("Deleting") || last.equals("Released") || last.equals("Deleted")) {
          throw new StepFailure(cloudId + " is " + last + ": it was deleted outside rdsflow");
        }
      } catch (CloudError e) {
        boolean young = Duration.between(firstPoll, Instant.now()).compareTo(NOT_FOUND_GRACE) < 0;
        if (!e.retryable() && !(e.notFound() && young)) {
          throw e;
        }
        lastError = e;
      }
      if (Instant.now().plus(api.settings().pollInterval()).isAfter(deadline)) {
        throw new StepFailure(cloudId + " was not Running within " + api.settings().createTimeout() + " (last status "
            + last + (lastError == null ? "" : ", last error " + lastError.getMessage()) + ")");
      }
      CloudApi.pause(api.settings().pollInterval(), heartbeat(doing.get() + " (now " + last + ")"));
    }
  }

  com.aliyun.rds20140815.models.DescribeDBInstanceAttributeResponseBody
      .DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute describe(Ctx c, String cloudId, Duration budget) {
    var body = api.call(c.rds(), "DescribeDBInstanceAttribute", budget, heartbeat("describe " + cloudId), rt -> c.rds().client()
        .describeDBInstanceAttributeWithOptions(
            new com.aliyun.rds20140815.models.DescribeDBInstanceAttributeRequest().setDBInstanceId(cloudId), rt))
        .getBody();
    if (body.getItems() == null || body.getItems().getDBInstanceAttribute() == null
        || body.getItems().getDBInstanceAttribute().isEmpty()) {
      throw new IllegalStateException("DescribeDBInstanceAttribute of " + cloudId + " answered without the instance");
    }
    return body.getItems().getDBInstanceAttribute().get(0);
  }

  /** Polls {@code read} until every name shows {@code wanted}; returns the last answer. */
  <T> Map<String, T> awaitAll(List<String> names, String wanted, Supplier<Map<String, T>> read,
      Function<T, String> status, String what) {
    Instant deadline = Instant.now().plus(api.settings().createTimeout());
    while (true) {
      Map<String, T> now = read.get();
      List<String> notYet = names.stream().filter(n -> now.get(n) == null || !wanted.equals(status.apply(now.get(n))))
          .toList();
      if (notYet.isEmpty()) {
        return now;
      }
      List<String> missing = notYet.stream().filter(n -> !now.containsKey(n)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException(what + ": " + missing + " not found after they were created");
      }
      if (Instant.now().isAfter(deadline)) {
        throw new StepFailure(what + ": " + notYet + " not " + wanted + " within " + api.settings().createTimeout());
      }
      CloudApi.pause(api.settings().pollInterval(), heartbeat("waiting for " + notYet + " to be " + wanted));
    }
  }
}

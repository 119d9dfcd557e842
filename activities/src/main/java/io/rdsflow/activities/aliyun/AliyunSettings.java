package io.rdsflow.activities.aliyun;

import java.time.Duration;

/**
 * How the aliyun engine talks to the RDS OpenAPI.
 *
 * @param rdsEndpoint {@code host[:port]} of RDS, empty for the SDK's public endpoint of the request's region
 * @param protocol {@code HTTPS}, or {@code HTTP} for a local simulator only
 * @param pollInterval wait between two status reads while something is being created or deleted
 * @param createTimeout how long a new instance may stay Creating (60 min by default)
 * @param deleteTimeout how long a deleted instance may take to disappear
 * @param retryInitialBackoff first wait after a throttled, 5xx or wrong-state answer; it doubles per retry
 * @param retryMaxBackoff longest wait between two retries of one call
 * @param callBudget how long one call is retried inside a step before the step fails and Temporal retries it
 * @param apiRatePerSecond calls per second per account and API this process makes at most (0 = no pacing)
 */
public record AliyunSettings(String rdsEndpoint, String protocol, Duration connectTimeout, Duration readTimeout,
    Duration pollInterval, Duration createTimeout, Duration deleteTimeout, Duration retryInitialBackoff,
    Duration retryMaxBackoff, Duration callBudget, double apiRatePerSecond) {

  public boolean hasEndpoint() {
    return rdsEndpoint != null && !rdsEndpoint.isBlank();
  }
}

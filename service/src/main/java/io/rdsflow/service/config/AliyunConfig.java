package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.rdsflow.activities.aliyun.AliyunSettings;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code aliyun.*}: endpoint overrides for a private endpoint or the simulator, and the engine's pacing. */
public class AliyunConfig {
  @JsonProperty public String rdsEndpoint = "";
  @JsonProperty public String dasEndpoint = "";
  @JsonProperty @Pattern(regexp = "HTTPS|HTTP", message = "must be HTTPS or HTTP")
  public String protocol = "HTTPS";
  /** Wait between two status reads of an instance being created or deleted. */
  @JsonProperty @NotNull public Duration pollInterval = Duration.seconds(10);
  /** How long a new instance may stay Creating before its creation fails. */
  @JsonProperty @NotNull public Duration createTimeout = Duration.minutes(60);
  /** How long a deleted instance may take to disappear. */
  @JsonProperty @NotNull public Duration deleteTimeout = Duration.minutes(30);
  @JsonProperty @NotNull public Duration connectTimeout = Duration.seconds(3);
  @JsonProperty @NotNull public Duration readTimeout = Duration.seconds(10);
  /** First wait after a throttled, 5xx or wrong-state answer; doubles per retry up to retryMaxBackoff. */
  @JsonProperty @NotNull public Duration retryInitialBackoff = Duration.seconds(1);
  @JsonProperty @NotNull public Duration retryMaxBackoff = Duration.seconds(8);
  /** How long one call is retried inside a step before the step's attempt fails (Temporal retries it). */
  @JsonProperty @NotNull public Duration callBudget = Duration.seconds(15);
  /** Calls per second per account and API this process makes at most; 0 = no pacing (throttling is retried). */
  @JsonProperty public double apiRatePerSecond = 0;

  public AliyunSettings settings() {
    return new AliyunSettings(rdsEndpoint, protocol, java(connectTimeout), java(readTimeout), java(pollInterval),
        java(createTimeout), java(deleteTimeout), java(retryInitialBackoff), java(retryMaxBackoff), java(callBudget),
        Math.max(0, apiRatePerSecond));
  }

  private static java.time.Duration java(Duration d) {
    return java.time.Duration.ofMillis(d.toMilliseconds());
  }
}

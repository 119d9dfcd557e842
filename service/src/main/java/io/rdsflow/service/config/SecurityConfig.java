package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code security.*}: the encryption password and the API users' initial passwords. Each defaults to
 * its environment variable ({@code ENCRYPTION_PASSWORD}, {@code RDSFLOW_ADMIN_PASSWORD},
 * {@code RDSFLOW_VIEWER_PASSWORD}) so that no secret needs to be written into a file.
 */
public class SecurityConfig {
  @JsonProperty public String encryptionPassword = "";
  @JsonProperty public String adminPassword = "";
  @JsonProperty public String viewerPassword = "";
  /**
   * Failed logins (API or admin port) from one address before it is backed off: that failure blocks
   * it for {@link #loginBackoff}, each further one for twice as long, up to {@link #loginBackoffMax};
   * a blocked address gets 429 with Retry-After.
   */
  @JsonProperty @Min(1) public int loginFailuresBeforeBackoff = 5;
  @JsonProperty @NotNull public Duration loginBackoff = Duration.seconds(5);
  @JsonProperty @NotNull public Duration loginBackoffMax = Duration.minutes(1);

  public String encryptionPassword() {
    return firstSet(encryptionPassword, System.getenv("ENCRYPTION_PASSWORD"));
  }

  public String adminPassword() {
    return firstSet(adminPassword, System.getenv("RDSFLOW_ADMIN_PASSWORD"));
  }

  public String viewerPassword() {
    return firstSet(viewerPassword, System.getenv("RDSFLOW_VIEWER_PASSWORD"));
  }

  private static String firstSet(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b == null || b.isBlank() ? null : b;
  }

  @Override
  public String toString() {
    return "SecurityConfig[***]";
  }
}

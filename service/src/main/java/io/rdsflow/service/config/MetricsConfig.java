package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code prometheus.*} (Dropwizard owns {@code metrics.*}): Basic auth on {@code /metrics} when both values are set. */
public class MetricsConfig {
  @JsonProperty public String basicAuthUser = "";
  @JsonProperty public String basicAuthPassword = "";

  public boolean basicAuth() {
    return basicAuthUser != null && !basicAuthUser.isBlank() && basicAuthPassword != null && !basicAuthPassword.isBlank();
  }

  @Override
  public String toString() {
    return "MetricsConfig[basicAuth=" + basicAuth() + "]";
  }
}

package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code collection.*}: round periods and the DAS rate limit. */
public class CollectionConfig {
  @JsonProperty @NotNull public Duration jdbcPeriod = Duration.seconds(15);
  @JsonProperty @NotNull public Duration dasPeriod = Duration.seconds(60);
  @JsonProperty @Min(1) public int dasRatePerSecond = 60;
}

package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code collection.*}: round periods, limits and timeouts of the collection workflows. */
public class CollectionConfig {
  /** Start the collection workflows of every group at start-up. */
  @JsonProperty public boolean enabled = true;
  @JsonProperty @NotNull public Duration jdbcPeriod = Duration.seconds(15);
  @JsonProperty @NotNull public Duration dasPeriod = Duration.seconds(60);
  /** DAS calls per second per Alibaba Cloud account. */
  @JsonProperty @Min(1) public int dasRatePerSecond = 60;
  /** Wait between the calls of one DAS ResultId round trip. */
  @JsonProperty @NotNull public Duration dasPollInterval = Duration.seconds(1);
  /** One target's budget (connect, queries, custom SQL) in a round. */
  @JsonProperty @NotNull public Duration targetTimeout = Duration.seconds(10);
  @JsonProperty @Min(1) @Max(256) public int jdbcParallelism = 16;
  @JsonProperty @Min(1) @Max(1024) public int dasParallelism = 64;
  /** Rounds one workflow run makes before it continues as new. */
  @JsonProperty @Min(1) public int roundsPerRun = 100;
}

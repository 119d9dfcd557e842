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
  /**
   * DAS calls per second of all Alibaba Cloud accounts together, 0 = no shared limit. Seed 000: the 60 calls/s
   * of DAS are shared by the calls of every account, so this limit applies by default (per process: see DasQuota).
   */
  @JsonProperty @Min(0) public int dasSharedRatePerSecond = 60;
  /** DAS calls per second of one Alibaba Cloud account (binding when the shared limit is 0 or higher than this). */
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

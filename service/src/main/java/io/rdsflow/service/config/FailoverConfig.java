package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code failover.*}: the health watch of local master-slave instances that drives automatic failover. */
public class FailoverConfig {
  /** Watch every RUNNING local master-slave instance (each can still switch it off: PATCH autoFailover). */
  @JsonProperty public boolean enabled = true;
  /** How often the master is probed from the slave's host. */
  @JsonProperty @NotNull public Duration probeInterval = Duration.seconds(1);
  /** Consecutive failed probes (with the slave's IO thread lost too) before the master is declared dead. */
  @JsonProperty @Min(1) @Max(60) public int failedProbes = 3;
}

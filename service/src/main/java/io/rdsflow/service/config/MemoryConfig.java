package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/** {@code memory}: the service's own heap (see {@code io.rdsflow.service.jvm.HeapTrim}). */
public class MemoryConfig {
  /** Give back heap a burst left committed and unused (a full GC, at most every 2 minutes). */
  @JsonProperty public boolean trimHeap = true;

  @JsonProperty @NotNull public Duration trimCheckInterval = Duration.seconds(30);
}

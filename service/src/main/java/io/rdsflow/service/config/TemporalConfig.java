package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** {@code temporal.*}: an external cluster when {@code target} is set, else the embedded service. */
public class TemporalConfig {
  /** host:port of an external Temporal frontend; empty = start the embedded service. */
  @JsonProperty public String target = "";
  @JsonProperty @NotBlank public String namespace = "default";
  /** Port of the embedded service on 127.0.0.1; 0 picks a free one. */
  @JsonProperty @Min(0) @Max(65535) public int embeddedPort = 7233;

  public boolean embedded() {
    return target == null || target.isBlank();
  }
}

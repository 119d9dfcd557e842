package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** {@code localEngine.*}: where and how the local engine runs server processes. */
public class LocalEngineConfig {
  /** Instance directories; empty = {@code <dataDir>/instances}. */
  @JsonProperty public String baseDir = "";
  /** Directory holding mariadbd/mysqld and tools; empty = look them up. */
  @JsonProperty public String binDir = "";
  @JsonProperty @Pattern(regexp = "\\d{1,5}-\\d{1,5}", message = "must look like 3400-3999")
  public String portRange = "3400-3999";
  @JsonProperty @NotBlank public String bindAddress = "127.0.0.1";
  /** This host's name for the task queue {@code host.<hostName>}; empty = the machine's host name. */
  @JsonProperty public String hostName = "";
}

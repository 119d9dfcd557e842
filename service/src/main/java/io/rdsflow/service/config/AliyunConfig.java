package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Pattern;

/** {@code aliyun.*}: endpoint overrides for a private endpoint or the simulator. */
public class AliyunConfig {
  @JsonProperty public String rdsEndpoint = "";
  @JsonProperty public String dasEndpoint = "";
  @JsonProperty @Pattern(regexp = "HTTPS|HTTP", message = "must be HTTPS or HTTP")
  public String protocol = "HTTPS";
}

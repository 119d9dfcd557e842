package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** {@code database.*}: an external MySQL/MariaDB when {@code url} is set, else the embedded server. */
public class DatabaseConfig {
  /** JDBC URL of an external metadata database; empty = start the embedded one under dataDir/metadb. */
  @JsonProperty public String url = "";
  @JsonProperty public String user = "";
  @JsonProperty public String password = "";
  /** Port of the embedded database on 127.0.0.1; 0 picks a free one (kept for later starts). */
  @JsonProperty @Min(0) @Max(65535) public int embeddedPort = 0;
  /** Run the Flyway migrations at start-up. */
  @JsonProperty public boolean migrateOnStart = true;
  @JsonProperty @Min(1) @Max(200) public int maxPoolSize = 20;

  public boolean embedded() {
    return url == null || url.isBlank();
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url=" + url + ", user=" + user + "]";
  }
}

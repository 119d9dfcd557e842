package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code backup.*}: the backup directory; with several hosts it must be storage they all mount at this path. */
public class BackupConfig {
  /** Empty = {@code <dataDir>/backups}. */
  @JsonProperty public String dir = "";
  /** Act on each local instance's backup policy (a daily backup at its preferredTime, then retention). */
  @JsonProperty public boolean schedule = true;
}

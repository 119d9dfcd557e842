package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code backup.*}: the backup directory; with several hosts it must be storage they all mount at this path. */
public class BackupConfig {
  /** Empty = {@code <dataDir>/backups}. */
  @JsonProperty public String dir = "";
}

package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/** The service's configuration; every key can be overridden with {@code -Ddw.<key>=...}. */
public class RdsflowConfiguration extends Configuration {
  @JsonProperty @NotBlank public String dataDir = "./data";
  @JsonProperty @Valid @NotNull public TemporalConfig temporal = new TemporalConfig();
  @JsonProperty @Valid @NotNull public DatabaseConfig database = new DatabaseConfig();
  @JsonProperty @Valid @NotNull public LocalEngineConfig localEngine = new LocalEngineConfig();
  @JsonProperty @Valid @NotNull public AliyunConfig aliyun = new AliyunConfig();
  @JsonProperty @Valid @NotNull public CollectionConfig collection = new CollectionConfig();
  @JsonProperty @Valid @NotNull public FailoverConfig failover = new FailoverConfig();
  @JsonProperty @Valid @NotNull public MetricsConfig prometheus = new MetricsConfig();
  @JsonProperty @Valid @NotNull public SecurityConfig security = new SecurityConfig();
  @JsonProperty @Valid @NotNull public BinlogArchiveConfig binlogArchive = new BinlogArchiveConfig();
  /** {@code backup.dir}: where backups are written ({@code <dir>/<instanceId>/full/...}); empty = {@code <dataDir>/backups}. */
  @JsonProperty @Valid @NotNull public BackupConfig backup = new BackupConfig();
  @JsonProperty @Valid @NotNull public MemoryConfig memory = new MemoryConfig();
  /** Start the Temporal workers in this process (off for a process that only serves the API). */
  @JsonProperty public boolean workers = true;

  public Path dataPath() {
    return Path.of(dataDir).toAbsolutePath().normalize();
  }

  public Path backupPath() {
    return backup.dir == null || backup.dir.isBlank() ? dataPath().resolve("backups") : Path.of(backup.dir).toAbsolutePath().normalize();
  }

  public Path localEngineBinDir() {
    return localEngine.binDir == null || localEngine.binDir.isBlank() ? null : Path.of(localEngine.binDir);
  }
}

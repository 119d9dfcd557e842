package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * {@code binlogArchive.*}: the closed binlogs of every RUNNING local instance's serving master are copied to
 * {@code <backup dir>/<instanceId>/binlog/} a round every {@code interval}; the current binlog is rotated once its
 * first transaction is {@code flushAfter} old. The recovery point is at most about {@code interval + flushAfter} plus
 * one round behind (about 50 s by default; the goal is 60 s).
 */
public class BinlogArchiveConfig {
  @JsonProperty public boolean enabled = true;
  @JsonProperty @NotNull public Duration interval = Duration.seconds(20);
  @JsonProperty @NotNull public Duration flushAfter = Duration.seconds(30);
}

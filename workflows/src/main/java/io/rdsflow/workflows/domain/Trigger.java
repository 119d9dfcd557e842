package io.rdsflow.workflows.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who started an operation: a caller of the REST API, or rdsflow itself (automatic failover). */
public enum Trigger {
  API,
  AUTO;

  @JsonValue
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  @JsonCreator
  public static Trigger of(String wire) {
    return wire == null ? null : valueOf(wire.toUpperCase(java.util.Locale.ROOT));
  }

  @Override
  public String toString() {
    return wire();
  }
}

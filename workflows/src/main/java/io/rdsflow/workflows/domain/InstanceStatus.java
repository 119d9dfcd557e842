package io.rdsflow.workflows.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The status of an instance ({@code ins_status}); CANCELLING and COMPENSATING are only reported, never stored. Serialized (JSON, Temporal payloads) and stored (VARCHAR columns) as its {@link #wire()} string. */
public enum InstanceStatus {
  CREATING("CREATING"),
  RUNNING("RUNNING"),
  COMPENSATING("COMPENSATING"),
  CANCELLING("CANCELLING"),
  FAILED("FAILED"),
  DELETING("DELETING"),
  DELETED("DELETED");

  private final String wire;

  InstanceStatus(String wire) {
    this.wire = wire;
  }

  /** The string of the REST API, the Temporal payloads and the metadata database. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The value of a wire string; null stays null. */
  @JsonCreator
  public static InstanceStatus of(String wire) {
    if (wire == null) {
      return null;
    }
    for (InstanceStatus v : values()) {
      if (v.wire.equals(wire)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown instance status: " + wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}

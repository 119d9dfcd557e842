package io.rdsflow.workflows.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The topology of an instance. Serialized (JSON, Temporal payloads) and stored (VARCHAR columns) as its {@link #wire()} string. */
public enum Topology {
  SINGLE("single"),
  MASTER_SLAVE("master-slave");

  private final String wire;

  Topology(String wire) {
    this.wire = wire;
  }

  /** The string of the REST API, the Temporal payloads and the metadata database. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The value of a wire string; null stays null. */
  @JsonCreator
  public static Topology of(String wire) {
    if (wire == null) {
      return null;
    }
    for (Topology v : values()) {
      if (v.wire.equals(wire)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown topology: " + wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}

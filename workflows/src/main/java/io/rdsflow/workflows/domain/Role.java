package io.rdsflow.workflows.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The role of a node, or of a step row: {@code instance} is the whole instance. Serialized (JSON, Temporal payloads) and stored (VARCHAR columns) as its {@link #wire()} string. */
public enum Role {
  MASTER("master"),
  SLAVE("slave"),
  INSTANCE("instance"),
  /** An endpoint, not a node: the proxy's address that always leads to the master. */
  WRITER("writer"),
  /** An endpoint, not a node: the proxy's address that leads to the slave (the master when the slave is down). */
  READER("reader");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  /** The string of the REST API, the Temporal payloads and the metadata database. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The value of a wire string; null stays null. */
  @JsonCreator
  public static Role of(String wire) {
    if (wire == null) {
      return null;
    }
    for (Role v : values()) {
      if (v.wire.equals(wire)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown role: " + wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}

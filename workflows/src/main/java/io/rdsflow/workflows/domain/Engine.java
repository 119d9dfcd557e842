package io.rdsflow.workflows.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The engine of an instance. Serialized (JSON, Temporal payloads) and stored (VARCHAR columns) as its {@link #wire()} string. */
public enum Engine {
  LOCAL("local"),
  ALIYUN("aliyun"),
  EXTERNAL("external");

  private final String wire;

  Engine(String wire) {
    this.wire = wire;
  }

  /** The string of the REST API, the Temporal payloads and the metadata database. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The value of a wire string; null stays null. */
  @JsonCreator
  public static Engine of(String wire) {
    if (wire == null) {
      return null;
    }
    for (Engine v : values()) {
      if (v.wire.equals(wire)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown engine: " + wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}

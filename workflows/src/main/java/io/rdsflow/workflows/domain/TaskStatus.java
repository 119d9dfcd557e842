package io.rdsflow.workflows.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The status of a task ({@code tasks.status}). Serialized (JSON, Temporal payloads) and stored (VARCHAR columns) as its {@link #wire()} string. */
public enum TaskStatus {
  RUNNING("RUNNING"),
  SUCCEEDED("SUCCEEDED"),
  FAILED("FAILED");

  private final String wire;

  TaskStatus(String wire) {
    this.wire = wire;
  }

  /** The string of the REST API, the Temporal payloads and the metadata database. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The value of a wire string; null stays null. */
  @JsonCreator
  public static TaskStatus of(String wire) {
    if (wire == null) {
      return null;
    }
    for (TaskStatus v : values()) {
      if (v.wire.equals(wire)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown task status: " + wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}

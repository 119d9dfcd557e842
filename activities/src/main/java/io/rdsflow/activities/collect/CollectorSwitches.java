package io.rdsflow.activities.collect;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rdsflow.activities.meta.Json;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * An instance's collector switches ({@code instance_list.collectors_json}, seed 001): set on registration,
 * creation or {@code PATCH /v1/instances/{id}}, read by every collection round (no restart). A collector
 * not named is on.
 */
public final class CollectorSwitches {
  static final TypeReference<Map<String, Boolean>> TYPE = new TypeReference<>() {};

  private final Jdbi jdbi;

  public CollectorSwitches(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The stored switches, by name; empty when none was ever set. */
  public Map<String, Boolean> get(String instanceId) {
    String json = jdbi.withHandle(h -> h.createQuery("SELECT collectors_json FROM instance_list WHERE ins_id = :i")
        .bind("i", instanceId).mapTo(String.class).findOne().orElse(null));
    return json == null ? Map.of() : new TreeMap<>(Json.read(json, TYPE));
  }

  /** Merges {@code changes} (checked with {@link Collectors#invalid}) into the stored switches; returns them. */
  public Map<String, Boolean> merge(String instanceId, Map<String, Boolean> changes) {
    Map<String, Boolean> merged = new TreeMap<>(get(instanceId));
    merged.putAll(changes);
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_list SET collectors_json = :c WHERE ins_id = :i")
        .bind("c", Json.write(merged)).bind("i", instanceId).execute());
    return merged;
  }
}

package io.rdsflow.service.instances;

import io.rdsflow.activities.collect.CollectorSwitches;
import io.rdsflow.activities.collect.Collectors;
import io.rdsflow.service.errors.ApiException;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code collectors} field of registration, creation and {@code PATCH /v1/instances/{id}} (seed 001):
 * checked before anything is written (422 naming the field), stored with {@link CollectorSwitches}.
 */
public final class CollectorSettings {
  private CollectorSettings() {}

  /** 422 unless every name is a built-in collector ({@link Collectors#NAMES}) switched true or false. */
  public static void check(Map<String, Boolean> collectors) {
    String invalid = Collectors.invalid(collectors);
    if (invalid != null) {
      throw ApiException.invalid("collectors", invalid);
    }
  }

  /** Stores {@code collectors} (merged into what the instance has) unless null. */
  public static void store(Jdbi jdbi, String instanceId, Map<String, Boolean> collectors) {
    if (collectors != null) {
      new CollectorSwitches(jdbi).merge(instanceId, collectors);
    }
  }
}

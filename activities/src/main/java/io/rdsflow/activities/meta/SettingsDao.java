package io.rdsflow.activities.meta;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Installation-wide values: the KDF salt, the encryption key check. */
public final class SettingsDao {
  private final Jdbi jdbi;

  public SettingsDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<String> get(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = :n")
        .bind("n", name).mapTo(String.class).findOne());
  }

  /** Inserts the value unless one exists; returns the stored value (first writer wins). */
  public String putIfAbsent(String name, String value) {
    jdbi.useHandle(h -> h.createUpdate("INSERT IGNORE INTO settings(name, value) VALUES (:n, :v)")
        .bind("n", name).bind("v", value).execute());
    return get(name).orElseThrow();
  }

  public void put(String name, String value) {
    jdbi.useHandle(h -> h.createUpdate(
            "INSERT INTO settings(name, value) VALUES (:n, :v) ON DUPLICATE KEY UPDATE value = VALUES(value)")
        .bind("n", name).bind("v", value).execute());
  }
}

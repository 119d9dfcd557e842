package io.rdsflow.activities.meta;

import java.util.List;
import java.util.Map;

/**
 * The parts of a CreateInstance request that steps read back from {@code instance_list.request_json}.
 * Passwords are never part of it: they are stored encrypted in {@code instance_accounts}.
 */
public record CreateRequest(
    Map<String, String> parameters,
    String timeZone,
    Backup backup,
    Placement placement,
    Aliyun aliyun,
    Restore restore) {

  public CreateRequest(Map<String, String> parameters, String timeZone, Backup backup, Placement placement, Aliyun aliyun) {
    this(parameters, timeZone, backup, placement, aliyun, null);
  }

  /**
   * A clone's source: the instance, the full backup its data comes from, and the instant (ISO-8601 UTC) the archived
   * binlogs are replayed up to, null for a clone of the backup itself.
   */
  public record Restore(String sourceInstanceId, String backupId, String pointInTime) {}

  /** {@code backup}: retention and preferred time (HH:mm). */
  public record Backup(int retentionDays, String preferredTime) {}

  /** Optional host choice for the local engine. */
  public record Placement(String master, String slave) {}

  /** The aliyun engine's extra fields. */
  public record Aliyun(String zoneId, String instanceClass, int storageGb, String vpcId, String vswitchId) {}

  /** A requested privilege of an account on a database. */
  public record Privilege(String database, String privilege) {}

  public static List<Privilege> privileges(String json) {
    return Json.read(json, new com.fasterxml.jackson.core.type.TypeReference<List<Privilege>>() {});
  }
}

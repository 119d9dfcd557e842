package io.rdsflow.service.api;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/instances}: CreateInstance (DESIGN §6). Engine and topology stay strings here so that
 * an unknown value is the validator's 422 naming the allowed values, not a JSON binding error;
 * {@link CreateInstanceValidator} turns the request into a {@link CreateInstanceSpec} with them typed.
 */
public record CreateInstanceRequest(
    String name,
    String engine,
    String engineVersion,
    String topology,
    Map<String, String> parameters,
    List<String> whitelist,
    List<AccountSpec> accounts,
    List<DatabaseSpec> databases,
    String timeZone,
    BackupSpec backup,
    String clientToken,
    PlacementSpec placement,
    String aliyunUid,
    String regionId,
    String zoneId,
    String instanceClass,
    Integer storageGb,
    String vpcId,
    String vswitchId,
    SourceSpec source,
    Map<String, Boolean> collectors) {

  /** A request without collector switches ({@code collectors}: seed 001, {@code {"processlist": false}}; null: all on). */
  public CreateInstanceRequest(String name, String engine, String engineVersion, String topology,
      Map<String, String> parameters, List<String> whitelist, List<AccountSpec> accounts, List<DatabaseSpec> databases,
      String timeZone, BackupSpec backup, String clientToken, PlacementSpec placement, String aliyunUid, String regionId,
      String zoneId, String instanceClass, Integer storageGb, String vpcId, String vswitchId, SourceSpec source) {
    this(name, engine, engineVersion, topology, parameters, whitelist, accounts, databases, timeZone, backup, clientToken,
        placement, aliyunUid, regionId, zoneId, instanceClass, storageGb, vpcId, vswitchId, source, null);
  }

  /**
   * A clone's source (issue 12): the instance and either one of its backups or an instant (ISO-8601) in its recovery
   * window. A clone request carries name, engine, topology and source; the rest defaults to the source's.
   */
  public record SourceSpec(String instanceId, String backupId, String pointInTime) {}

  /** An account to create; the password is stored encrypted and never echoed. */
  public record AccountSpec(String name, String password, List<PrivilegeSpec> privileges) {
    @Override
    public String toString() {
      return "AccountSpec[" + name + ", ***]";
    }
  }

  public record PrivilegeSpec(String database, String privilege) {}

  public record DatabaseSpec(String name, String charset) {}

  public record BackupSpec(Integer retentionDays, String preferredTime) {}

  /** Optional: the hosts (agent names) of the local engine's master and slave. */
  public record PlacementSpec(String master, String slave) {}
}

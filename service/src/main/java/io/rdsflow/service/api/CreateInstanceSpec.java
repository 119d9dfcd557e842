package io.rdsflow.service.api;

import io.rdsflow.service.api.CreateInstanceRequest.AccountSpec;
import io.rdsflow.service.api.CreateInstanceRequest.BackupSpec;
import io.rdsflow.service.api.CreateInstanceRequest.DatabaseSpec;
import io.rdsflow.service.api.CreateInstanceRequest.PlacementSpec;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.Topology;
import java.util.List;
import java.util.Map;

/**
 * A CreateInstance request as {@link CreateInstanceValidator} accepted it: engine and topology typed,
 * parameters normalised ({@code ParameterCatalog.normalize}: sizes in bytes, switches ON/OFF), absent
 * lists empty, privileges listed, database charsets given. Everything after the validator (the engine
 * checks, the stored rows, the workflow input) reads this and normalises nothing again.
 */
public record CreateInstanceSpec(
    String name,
    Engine engine,
    String engineVersion,
    Topology topology,
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
    String vswitchId) {

  public boolean masterSlave() {
    return topology == Topology.MASTER_SLAVE;
  }
}

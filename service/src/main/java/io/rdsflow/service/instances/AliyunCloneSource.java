package io.rdsflow.service.instances;

import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.activities.meta.CloudBackupDao;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.service.api.CreateInstanceRequest;
import io.rdsflow.service.api.CreateInstanceRequest.SourceSpec;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.InstanceStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A clone of an aliyun instance: Alibaba Cloud RDS makes it (CloneDBInstance) from one of the source's backup sets that
 * rdsflow took ({@code backup} operation) or from a point in time. The cloud clones only an existing, running instance in
 * its own account and region, so the source must be RUNNING in rdsflow, and the clone lives in the source's account and
 * region. The request is completed from the source (engine version, zone, class, storage, VPC, whitelist, parameters,
 * backup policy); the accounts and databases come with the restored data. A point in time must lie between the finish of
 * the oldest backup set rdsflow saw finished and now (the cloud's log backup; the cloud may know older sets, which this
 * window leaves out): anything else is a 422 before anything is created.
 */
final class AliyunCloneSource {
  private final RequestDao requests;
  private final CloudBackupDao backups;
  private final CloneSource clones;
  private final RecoveryWindow windows;

  AliyunCloneSource(Jdbi jdbi, CloneSource clones) {
    this.requests = new RequestDao(jdbi);
    this.backups = new CloudBackupDao(jdbi);
    this.windows = new RecoveryWindow(jdbi);
    this.clones = clones;
  }

  /** The clone of {@code source} (an aliyun instance) the request asks for; CloneSource checked the generic fields. */
  CloneSource.Clone resolve(CreateInstanceRequest r, InstanceDao.Instance source) {
    SourceSpec s = r.source();
    if (source.status() != InstanceStatus.RUNNING) {
      throw ApiException.invalid("source.instanceId", source.id() + " is " + source.status().wire()
          + ": Alibaba Cloud clones a running instance only (CloneDBInstance)");
    }
    if (source.requestJson() == null) {
      throw ApiException.invalid("source.instanceId", source.id() + " was registered, not created, by rdsflow: it has no "
          + "backups of rdsflow's to clone");
    }
    sameAs("aliyunUid", r.aliyunUid(), source.aliyunUid());
    sameAs("regionId", r.regionId(), source.regionId());
    CreateRequest stored = Json.read(source.requestJson(), CreateRequest.class);
    CreateRequest.Aliyun spec = stored.aliyun();
    if (r.storageGb() != null && r.storageGb() < spec.storageGb()) {
      throw ApiException.invalid("storageGb", "a clone needs at least its source's " + spec.storageGb() + " GB");
    }
    String backupId = s.backupId() == null ? null : backupSet(source.id(), s.backupId());
    Instant pointInTime = s.pointInTime() == null ? null : pointInTime(source.id(), s.pointInTime());
    boolean ownVpc = r.vpcId() != null || r.vswitchId() != null;
    Map<String, String> parameters = clones.parameters(r, stored, source.id());
    List<String> whitelist = r.whitelist() != null ? r.whitelist() : requests.whitelist(source.id(), "user");
    CreateInstanceRequest completed = new CreateInstanceRequest(r.name(), source.engine().wire(), source.engineVersion(),
        r.topology() != null ? r.topology() : source.topology().wire(), parameters, whitelist, null, null,
        r.timeZone() != null ? r.timeZone() : stored.timeZone(), CloneSource.policy(r, stored), r.clientToken(), r.placement(),
        source.aliyunUid(), source.regionId(), r.zoneId() != null ? r.zoneId() : spec.zoneId(),
        r.instanceClass() != null ? r.instanceClass() : spec.instanceClass(), r.storageGb() != null ? r.storageGb() : spec.storageGb(),
        ownVpc ? r.vpcId() : spec.vpcId(), ownVpc ? r.vswitchId() : spec.vswitchId(), s);
    return new CloneSource.Clone(completed, new CreateRequest.Restore(source.id(), backupId,
        pointInTime == null ? null : pointInTime.toString()));
  }

  /** rdsflow's id of a finished backup set of the source, named by that id or by the cloud's BackupId. */
  private String backupSet(String sourceId, String id) {
    CloudBackupDao.CloudBackup b = backups.find(sourceId, id)
        .orElseThrow(() -> ApiException.invalid("source.backupId", "no backup " + id + " of " + sourceId
            + " (rdsflow clones from the backups its backup operation took: GET /v1/instances/" + sourceId + "/backups)"));
    if (!BackupDao.SUCCEEDED.equals(b.status()) || b.cloudBackupId() == null) {
      throw ApiException.invalid("source.backupId", b.backupId() + " is " + b.status() + ", not a finished backup set");
    }
    return b.backupId();
  }

  /** The instant, which must lie in the source's recovery window ({@link RecoveryWindow}: its oldest finished backup set to now). */
  private Instant pointInTime(String sourceId, String text) {
    Instant t = CloneSource.instant(text);
    RecoveryWindow.Window w = windows.of(sourceId);
    if (!w.covers(t)) {
      throw ApiException.invalid("source.pointInTime", text + " is outside the recovery window of " + sourceId
          + (w.earliest() == null ? " (it has no finished backup set taken by rdsflow to start from)"
          : " [" + w.earliest() + ", " + w.latest() + "]"));
    }
    return t.truncatedTo(ChronoUnit.SECONDS);
  }

  private static void sameAs(String field, String given, String source) {
    if (given != null && !given.equals(source)) {
      throw ApiException.invalid(field, "a clone lives in its source's " + field + " " + source);
    }
  }
}

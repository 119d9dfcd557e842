package io.rdsflow.service.instances;

import io.rdsflow.activities.local.Backups;
import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.service.api.CreateInstanceRequest;
import io.rdsflow.service.api.CreateInstanceRequest.SourceSpec;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.Engine;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A clone request ({@code POST /v1/instances} with {@code source}) resolved against its source: which backup the data
 * comes from and up to which instant the archived binlogs are replayed, and the request completed with the source's
 * engine version, parameters, time zone and backup policy where it gives none. The source's accounts (with their
 * encrypted passwords), databases, user whitelist and root password are copied to the clone in the creation's
 * transaction: the restored data holds those accounts with those passwords. Every problem is a 422 naming the field;
 * the source may have been deleted since (its backups and archive outlive it). An aliyun source is resolved by
 * {@link AliyunCloneSource}.
 */
public final class CloneSource {
  /** A resolved clone: the request to validate and create, and what the restore steps read back. */
  public record Clone(CreateInstanceRequest request, CreateRequest.Restore restore) {}

  private final InstanceDao instances;
  private final RequestDao requests;
  private final BackupDao backups;
  private final RecoveryWindow windows;
  private final AliyunCloneSource aliyun;

  public CloneSource(Jdbi jdbi) {
    this.instances = new InstanceDao(jdbi);
    this.requests = new RequestDao(jdbi);
    this.backups = new BackupDao(jdbi);
    this.windows = new RecoveryWindow(jdbi);
    this.aliyun = new AliyunCloneSource(jdbi, this);
  }

  /** Null when the request is no clone. */
  public Clone resolve(CreateInstanceRequest r) {
    if (r == null || r.source() == null) {
      return null;
    }
    SourceSpec s = r.source();
    if (s.instanceId() == null || s.instanceId().isBlank()) {
      throw ApiException.invalid("source.instanceId", "is required");
    }
    InstanceDao.Instance source = instances.find(s.instanceId())
        .orElseThrow(() -> ApiException.invalid("source.instanceId", "no instance " + s.instanceId()));
    if (source.engine() != Engine.LOCAL && source.engine() != Engine.ALIYUN) {
      throw ApiException.invalid("source.instanceId", s.instanceId() + " is a " + source.engine().wire()
          + " instance; clones are made of local and aliyun instances");
    }
    if (r.engine() != null && !r.engine().equals(source.engine().wire())) {
      throw ApiException.invalid("engine", "a clone has its source's engine (" + source.engine().wire() + ")");
    }
    if (r.engineVersion() != null && !r.engineVersion().equals(source.engineVersion())) {
      throw ApiException.invalid("engineVersion", "a clone runs its source's version " + source.engineVersion());
    }
    if (r.accounts() != null || r.databases() != null) {
      throw ApiException.invalid(r.accounts() != null ? "accounts" : "databases", "a clone has its source's accounts (with "
          + "their passwords) and databases: they are in the restored data");
    }
    if ((s.backupId() == null) == (s.pointInTime() == null)) {
      throw ApiException.invalid("source", "give either backupId or pointInTime");
    }
    if (source.engine() == Engine.ALIYUN) {
      return aliyun.resolve(r, source);
    }
    BackupDao.Backup backup = s.backupId() != null ? namedBackup(source.id(), s.backupId()) : null;
    Instant pointInTime = null;
    if (s.pointInTime() != null) {
      pointInTime = instant(s.pointInTime());
      RecoveryWindow.Window w = windows.of(source.id());
      if (!w.covers(pointInTime)) {
        throw ApiException.invalid("source.pointInTime", s.pointInTime() + " is outside the recovery window of " + source.id()
            + (w.earliest() == null ? " (it has no backup to start from)" : " [" + w.earliest() + ", " + w.latest() + "]"));
      }
      backup = backupBefore(source.id(), pointInTime);
    }
    CreateRequest stored = Json.read(source.requestJson(), CreateRequest.class);
    Map<String, String> parameters = parameters(r, stored, source.id());
    CreateInstanceRequest.BackupSpec policy = policy(r, stored);
    List<String> whitelist = r.whitelist() != null ? r.whitelist() : requests.whitelist(source.id(), "user");
    CreateInstanceRequest completed = new CreateInstanceRequest(r.name(), source.engine().wire(), source.engineVersion(),
        r.topology(), parameters, whitelist, null, null, r.timeZone() != null ? r.timeZone() : stored.timeZone(), policy,
        r.clientToken(), r.placement(), r.aliyunUid(), r.regionId(), r.zoneId(), r.instanceClass(), r.storageGb(), r.vpcId(),
        r.vswitchId(), s);
    return new Clone(completed, new CreateRequest.Restore(source.id(), backup.backupId(),
        pointInTime == null ? null : pointInTime.toString()));
  }

  /**
   * The clone's parameters: the request's, else the source's (those it was created with and those modify-parameters
   * changed since).
   */
  Map<String, String> parameters(CreateInstanceRequest r, CreateRequest stored, String sourceId) {
    if (r.parameters() != null) {
      return r.parameters();
    }
    Map<String, String> parameters = new java.util.LinkedHashMap<>(stored.parameters() == null ? Map.of() : stored.parameters());
    parameters.putAll(requests.changedParams(sourceId));
    return parameters;
  }

  /** The clone's backup policy: the request's, else its source's. */
  static CreateInstanceRequest.BackupSpec policy(CreateInstanceRequest r, CreateRequest stored) {
    return r.backup() != null || stored.backup() == null ? r.backup()
        : new CreateInstanceRequest.BackupSpec(stored.backup().retentionDays(), stored.backup().preferredTime());
  }

  /** In the creation's transaction: the source's accounts, databases and root password become the clone's. */
  public void copyInto(Handle h, String cloneId, Clone clone) {
    String sourceId = clone.restore().sourceInstanceId();
    for (RequestDao.Account a : requests.accounts(sourceId, "user")) {
      RequestDao.insertAccount(h, cloneId, new RequestDao.Account(a.name(), a.kind(), a.encryptedPassword(), a.privilegesJson(),
          "Creating"));
    }
    for (RequestDao.Database d : requests.databases(sourceId)) {
      RequestDao.insertDatabase(h, cloneId, d);
    }
    h.createUpdate("UPDATE instance_list SET root_password_encrypted = (SELECT p FROM (SELECT root_password_encrypted AS p "
            + "FROM instance_list WHERE ins_id = :s) src) WHERE ins_id = :c")
        .bind("s", sourceId).bind("c", cloneId).execute();
  }

  private BackupDao.Backup namedBackup(String sourceId, String backupId) {
    BackupDao.Backup b = backups.find(backupId).filter(x -> x.instanceId().equals(sourceId))
        .orElseThrow(() -> ApiException.invalid("source.backupId", "no backup " + backupId + " of " + sourceId));
    if (!BackupDao.SUCCEEDED.equals(b.status())) {
      throw ApiException.invalid("source.backupId", backupId + " is " + b.status() + ", not a finished backup");
    }
    if (!Backups.PHYSICAL.equals(b.method())) {
      throw ApiException.invalid("source.backupId", backupId + " was taken with " + b.method()
          + "; a clone restores a physical (" + Backups.PHYSICAL + ") backup");
    }
    return b;
  }

  /** The newest finished physical full backup of the source that finished by {@code t}: the replay starts from it. */
  private BackupDao.Backup backupBefore(String sourceId, Instant t) {
    return backups.list(sourceId).stream()
        .filter(b -> BackupDao.SUCCEEDED.equals(b.status()) && BackupDao.FULL.equals(b.kind())
            && Backups.PHYSICAL.equals(b.method()) && b.finishedAt() != null && !b.finishedAt().isAfter(t))
        .max(Comparator.comparing(BackupDao.Backup::finishedAt))
        .orElseThrow(() -> ApiException.invalid("source.pointInTime", "no physical full backup of " + sourceId
            + " finished by " + t + " to start the replay from"));
  }

  static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("source.pointInTime", "'" + text + "' is not an ISO-8601 instant such as 2026-11-30T10:15:00Z");
    }
  }
}

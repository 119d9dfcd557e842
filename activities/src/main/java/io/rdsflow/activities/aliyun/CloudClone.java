package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;

import com.aliyun.rds20140815.models.DescribeDBInstancesRequest;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.meta.CloudBackupDao;
import io.rdsflow.activities.meta.CloudInstanceDao;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.steps.StepFailure;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloneDBInstance of a clone's source (see {@code AliyunPlan.CLONE}). The SDK's CloneDBInstance carries no ClientToken
 * and no description, so a clone whose answer was lost is recognised otherwise: an instance of the account and region
 * that is Creating, of the clone's class, and that no rdsflow instance holds (and, within one try, that did not exist
 * before the call). One is adopted; none means the call did not take effect and it is sent (again).
 */
final class CloudClone {
  private static final Logger LOG = LoggerFactory.getLogger(CloudClone.class);

  /** What was cloned: the new cloud instance and what it was made from. */
  record Cloned(String cloudId, String from, boolean answered) {}

  private final CloudApi api;
  private final CloudInstanceDao cloud;
  private final CloudBackupDao backups;

  CloudClone(CloudApi api, CloudInstanceDao cloud, CloudBackupDao backups) {
    this.api = api;
    this.cloud = cloud;
    this.backups = backups;
  }

  /** Sends CloneDBInstance (or adopts the clone of an earlier try whose answer was lost); records the new cloud id. */
  Cloned clone(Ctx c, boolean earlierTrySent) {
    CreateRequest.Restore restore = c.request().restore();
    if (restore == null) {
      throw new StepFailure("the request of " + c.id() + " names no source to clone");
    }
    String sourceCloudId = cloud.get(restore.sourceInstanceId()).cloudInstanceId();
    if (sourceCloudId == null) {
      throw new StepFailure("source " + restore.sourceInstanceId() + " has no cloud instance to clone");
    }
    String backupSet = null;
    Instant restoreTime = null;
    if (restore.pointInTime() != null) {
      restoreTime = Instant.parse(restore.pointInTime());
    } else {
      CloudBackupDao.CloudBackup b = backups.find(restore.sourceInstanceId(), restore.backupId())
          .orElseThrow(() -> new StepFailure("no cloud backup " + restore.backupId() + " of " + restore.sourceInstanceId()));
      if (b.cloudBackupId() == null) {
        throw new StepFailure("backup " + b.backupId() + " of " + restore.sourceInstanceId() + " has no backup set in the cloud");
      }
      backupSet = b.cloudBackupId();
    }
    String from = sourceCloudId + (backupSet != null ? " backup set " + backupSet + " (" + restore.backupId() + ")"
        : " at " + CloudRequests.RESTORE_TIME.format(restoreTime));
    if (earlierTrySent) {
      String lost = lostClone(c, Set.of());
      if (lost != null) {
        cloud.created(c.id(), lost);
        LOG.warn("[{}] found {}, cloned from {} by a try whose answer was lost", c.id(), lost, from);
        return new Cloned(lost, from, false);
      }
    }
    var request = CloudRequests.cloneDBInstance(c, sourceCloudId, backupSet, restoreTime);
    Set<String> before = instanceIds(c).keySet();
    AtomicReference<String> made = new AtomicReference<>();
    cloud.markCreateSent(c.id());
    boolean answered;
    try {
      answered = api.mutate(c.rds(), "CloneDBInstance", heartbeat("cloning " + from),
          () -> {
            made.set(lostClone(c, before));
            return made.get() != null;
          },
          rt -> {
            var body = c.rds().client().cloneDBInstanceWithOptions(request, rt).getBody();
            made.set(body == null ? null : body.getDBInstanceId());
            return body;
          });
    } catch (CloudError e) {
      if (!e.ambiguous()) {
        cloud.clearCreateSent(c.id());
      }
      throw e;
    }
    if (made.get() == null || made.get().isBlank()) {
      throw new IllegalStateException("CloneDBInstance answered without a DBInstanceId");
    }
    cloud.created(c.id(), made.get());
    LOG.info("[{}] cloud instance {} cloned from {} in {} for account {}", c.id(), made.get(), from, c.rds().regionId(),
        c.ins().aliyunUid());
    return new Cloned(made.get(), from, answered);
  }

  /** The clone a lost answer left: Creating, of the clone's class, held by no rdsflow instance, not among {@code before}. */
  private String lostClone(Ctx c, Set<String> before) {
    List<String> found = instanceIds(c).entrySet().stream()
        .filter(e -> !before.contains(e.getKey()) && e.getValue().equals("Creating " + c.spec().instanceClass()))
        .map(java.util.Map.Entry::getKey)
        .filter(id -> cloud.findByCloudId(id).isEmpty())
        .toList();
    if (found.size() > 1) {
      throw new StepFailure("CloneDBInstance's answer was lost and " + found.size() + " new instances could be its clone: "
          + found + "; not adopting any (delete the stray ones by hand)");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /** The region's instances of the account (first 100): id → "status class". */
  private java.util.Map<String, String> instanceIds(Ctx c) {
    var body = api.call(c.rds(), "DescribeDBInstances", heartbeat("instances of " + c.rds().regionId()), rt -> c.rds().client()
        .describeDBInstancesWithOptions(new DescribeDBInstancesRequest().setRegionId(c.rds().regionId()).setPageSize(100), rt))
        .getBody();
    if (body.getItems() == null || body.getItems().getDBInstance() == null) {
      return java.util.Map.of();
    }
    return body.getItems().getDBInstance().stream().collect(Collectors.toMap(i -> i.getDBInstanceId(),
        i -> i.getDBInstanceStatus() + " " + i.getDBInstanceClass(), (a, b) -> a, java.util.LinkedHashMap::new));
  }
}

package io.rdsflow.activities.aliyun;

import com.aliyun.rds20140815.models.DeleteDBInstanceRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceAttributeRequest;
import com.aliyun.rds20140815.models.DescribeDBInstancesRequest;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.CloudInstanceDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.activities.steps.StepRunner;
import io.rdsflow.workflows.activities.CloudCleanup;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Deletes the cloud instance behind an aliyun instance (compensation and DeleteInstance). Idempotent: a
 * cloud instance already gone is fine; one whose CreateDBInstance answer was lost is found by its
 * description, which ends with the instance id; one still Creating is waited for, since RDS refuses to
 * delete it before it runs. A DeleteDBInstance whose answer was lost is not sent again once the instance is
 * seen Deleting. A registered instance is never deleted in the cloud.
 *
 * <p>While it tries, the instance is DELETING (a creation being compensated too) and its error is the
 * cloud's last failing answer. It gives up {@code aliyun.deleteTimeout} after the removal began (the
 * instance's {@code deleting_since}, so across retries of the activity; plus {@code aliyun.createTimeout}
 * when the cloud instance was seen still being created) with a non-retryable failure naming the cloud
 * instance, its account and region, which the workflow turns into FAILED: a later DeleteInstance tries
 * again.
 */
public final class CloudCleanupImpl implements CloudCleanup {
  private static final Logger LOG = LoggerFactory.getLogger(CloudCleanupImpl.class);
  /** States in which DeleteDBInstance is accepted; in any other the instance is waited for. */
  private static final Set<String> DELETABLE = Set.of("Running", "Stopped");
  private static final Set<String> GONE = Set.of("Released", "Deleted");

  private final InstanceDao instances;
  private final StepDao steps;
  private final CloudInstanceDao cloud;
  private final AliyunClients clients;
  private final CloudApi api;

  public CloudCleanupImpl(InstanceDao instances, StepDao steps, CloudInstanceDao cloud, AliyunClients clients, CloudApi api) {
    this.instances = instances;
    this.steps = steps;
    this.cloud = cloud;
    this.clients = clients;
    this.api = api;
  }

  @Override
  public StepResult deleteCloudInstance(String instanceId) {
    MDC.put("instanceId", instanceId);
    try {
      String message = delete(instanceId);
      LOG.info("[{}] {}", instanceId, message);
      return StepResult.of(message);
    } catch (ActivityCompletionException e) {
      throw e;
    } catch (CloudError e) {
      if (e.retryable()) {
        noteError(instanceId, e);
        Instant since = instances.deletingSince(instanceId).orElse(null);
        if (since != null && Instant.now().isAfter(since.plus(api.settings().deleteTimeout()))) {
          throw giveUp(instanceId, "the cloud kept failing for " + api.settings().deleteTimeout().toSeconds()
              + " s since " + since + ": " + e.getMessage());
        }
        LOG.warn("[{}] deleting the cloud instance failed, will be retried: {}", instanceId, e.getMessage());
        throw e;
      }
      throw giveUp(instanceId, e.getMessage());
    } catch (AliyunClients.AccountUnavailable | SecretCipher.WrongKeyException e) {
      throw giveUp(instanceId, e.getMessage());
    } finally {
      MDC.remove("instanceId");
    }
  }

  private String delete(String instanceId) {
    InstanceDao.Instance ins = instances.get(instanceId);
    CloudInstanceDao.CloudRef ref = cloud.get(instanceId);
    if (CloudInstanceDao.REGISTERED.equals(ref.state())) {
      return "registered instance: " + ref.cloudInstanceId() + " is left as it is in the cloud, only forgotten";
    }
    if (CloudInstanceDao.RELEASED.equals(ref.state())) {
      return ref.cloudInstanceId() + " was deleted already";
    }
    String cloudId = ref.cloudInstanceId();
    if (cloudId == null && !CloudInstanceDao.CREATE_SENT.equals(ref.state())) {
      return "no cloud instance was created";
    }
    Instant since = cloud.deletionStarted(instanceId);
    AliyunClients.Rds rds = clients.rds(ins.aliyunUid(), ins.regionId());
    if (cloudId == null) {
      cloudId = lookUp(rds, ins);
      if (cloudId == null) {
        cloud.clearCreateSent(instanceId);
        return "no cloud instance was created (none is described as " + instanceId + ")";
      }
      cloud.created(instanceId, cloudId);
      LOG.warn("[{}] found {} created by a create whose answer was lost", instanceId, cloudId);
    }
    Duration allowed = api.settings().deleteTimeout();
    boolean deleteSent = false;
    CloudError last = null;
    while (true) {
      String status;
      try {
        String id = cloudId;
        status = api.once(rds, "DescribeDBInstanceAttribute", rt -> rds.client().describeDBInstanceAttributeWithOptions(
            new DescribeDBInstanceAttributeRequest().setDBInstanceId(id), rt)).getBody().getItems().getDBInstanceAttribute()
            .get(0).getDBInstanceStatus();
      } catch (CloudError e) {
        if (e.notFound()) {
          status = "Released";
        } else if (e.retryable()) {
          status = "unknown (" + e.code() + ")";
          last = noteError(instanceId, e);
        } else {
          throw e;
        }
      }
      if (status.equals("Creating") && allowed.equals(api.settings().deleteTimeout())) {
        allowed = api.settings().createTimeout().plus(api.settings().deleteTimeout()); // it is waited for first
      }
      if (GONE.contains(status)) {
        cloud.released(instanceId);
        return "deleted " + cloudId;
      }
      if (DELETABLE.contains(status) && !deleteSent) {
        String id = cloudId;
        try {
          boolean answered = api.mutate(rds, "DeleteDBInstance", heartbeat("deleting " + id), () -> deleting(rds, id),
              rt -> rds.client().deleteDBInstanceWithOptions(new DeleteDBInstanceRequest().setDBInstanceId(id), rt));
          deleteSent = true;
          LOG.info("[{}] DeleteDBInstance {} {}", instanceId, cloudId, answered ? "accepted" : "took effect, its answer was lost");
        } catch (CloudError e) {
          if (e.notFound()) {
            continue;
          }
          if (!e.retryable()) {
            throw e;
          }
          last = noteError(instanceId, e);
        }
      }
      if (Instant.now().isAfter(since.plus(allowed))) {
        throw giveUp(instanceId, (status.startsWith("unknown") && last != null
            ? "the cloud kept failing for " + allowed.toSeconds() + " s since " + since + ": " + last.getMessage()
            : "it was still " + status + " " + allowed.toSeconds() + " s after its removal began at " + since
                + (last == null ? "" : " (last error: " + last.getMessage() + ")")));
      }
      CloudApi.pause(api.settings().pollInterval(), heartbeat(cloudId + " " + status
          + (deleteSent ? ", deleting" : ", waiting before deleting")));
    }
  }

  /** Whether a DeleteDBInstance took effect: the instance is Deleting or gone. */
  private boolean deleting(AliyunClients.Rds rds, String cloudId) {
    try {
      String status = api.call(rds, "DescribeDBInstanceAttribute", heartbeat("describe " + cloudId), rt -> rds.client()
          .describeDBInstanceAttributeWithOptions(new DescribeDBInstanceAttributeRequest().setDBInstanceId(cloudId), rt))
          .getBody().getItems().getDBInstanceAttribute().get(0).getDBInstanceStatus();
      return "Deleting".equals(status) || GONE.contains(status);
    } catch (CloudError e) {
      if (e.notFound()) {
        return true;
      }
      throw e;
    }
  }

  /** The cloud instance a lost CreateDBInstance made: its description ends with the instance id. */
  private String lookUp(AliyunClients.Rds rds, InstanceDao.Instance ins) {
    var body = api.call(rds, "DescribeDBInstances", heartbeat("looking up " + ins.id()), rt -> rds.client()
        .describeDBInstancesWithOptions(new DescribeDBInstancesRequest().setRegionId(rds.regionId())
            .setSearchKey(ins.id()).setPageSize(100), rt)).getBody();
    if (body.getItems() == null || body.getItems().getDBInstance() == null) {
      return null;
    }
    List<String> ids = body.getItems().getDBInstance().stream()
        .filter(i -> i.getDBInstanceDescription() != null && i.getDBInstanceDescription().endsWith(ins.id()))
        .map(i -> i.getDBInstanceId()).toList();
    if (ids.size() > 1) {
      LOG.error("[{}] {} cloud instances are described as {}: {}; deleting the first", ins.id(), ids.size(), ins.id(), ids);
    }
    return ids.isEmpty() ? null : ids.get(0);
  }

  /** Shows a failing answer as the error of the deleting instance; returns it. */
  private CloudError noteError(String instanceId, CloudError e) {
    CloudInstanceDao.CloudRef ref = cloud.get(instanceId);
    cloud.deletionError(instanceId, "deleting cloud instance "
        + (ref.cloudInstanceId() == null ? "(not known yet)" : ref.cloudInstanceId()) + ": " + e.getMessage());
    return e;
  }

  /**
   * A failure retrying cannot fix, or the time to delete is up: recorded on a deleting instance and its
   * task, then reported naming what is left in the cloud for someone to delete by hand.
   */
  private ApplicationFailure giveUp(String instanceId, String cause) {
    String message = leftInCloud(instanceId) + " could not be deleted: " + cause
        + "; delete it by hand, or DELETE this instance again to retry";
    String error = "deleting the cloud instance failed: " + message;
    LOG.error("[{}] {}", instanceId, error);
    instances.find(instanceId).filter(i -> i.status() == InstanceStatus.DELETING).ifPresent(i -> {
      instances.setStatus(instanceId, InstanceStatus.DELETING, error);
      steps.setTaskStatus(Activity.getExecutionContext().getInfo().getWorkflowId(), TaskStatus.FAILED, error);
    });
    return ApplicationFailure.newNonRetryableFailure(message, "NonRetryable");
  }

  /** The cloud instance left behind: its id (or description when the create's answer was lost), account and region. */
  private String leftInCloud(String instanceId) {
    CloudInstanceDao.CloudRef ref = cloud.get(instanceId);
    InstanceDao.Instance ins = instances.get(instanceId);
    String where = " (account " + ins.aliyunUid() + ", region " + ins.regionId() + ")";
    return ref.cloudInstanceId() != null ? "cloud instance " + ref.cloudInstanceId() + where
        : "the cloud instance described as " + ins.name() + "-" + instanceId + ", if CreateDBInstance made one" + where;
  }

  private static Runnable heartbeat(String detail) {
    return () -> StepRunner.heartbeat(detail);
  }
}

package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;
import static io.rdsflow.activities.aliyun.CloudStep.retried;

import com.aliyun.rds20140815.models.ModifyDBInstanceSpecRequest;
import com.aliyun.rds20140815.models.UpgradeDBInstanceKernelVersionRequest;
import com.fasterxml.jackson.core.type.TypeReference;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.local.ParameterCatalog;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.activities.ops.ParameterControlImpl;
import io.rdsflow.activities.steps.StepFailure;
import io.rdsflow.workflows.activities.AliyunSpecOperations;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code modify-parameters}, {@code resize} and {@code upgrade-minor} of an aliyun instance (see
 * {@code SpecChangePlans}), through {@link CloudApi}; what to change is read from the operation's row (the
 * API validated it). A retried step looks at the cloud before it sends its change again.
 */
public final class AliyunSpecOperationsImpl implements AliyunSpecOperations {
  static final String FACT_CLASS = "cloudTargetClass";
  static final String FACT_STORAGE = "cloudTargetStorage";
  static final String FACT_KERNEL_BEFORE = "cloudKernelBefore";

  private final CloudStep step;
  private final CloudApi api;
  private final CloudPolling polling;
  private final CloudParameters parameters;
  private final OperationDao operations;

  public AliyunSpecOperationsImpl(CloudStep step, CloudApi api, OperationDao operations) {
    this.step = step;
    this.api = api;
    this.polling = new CloudPolling(api);
    this.parameters = new CloudParameters(api);
    this.operations = operations;
  }

  @Override
  public OperationStepResult modifyCloudParameters(OperationStepInput in) { // rdsflow_modify_cloud_parameters
    return step.runOperation(in, (c, cloudId) -> {
      Map<String, String> wanted = ParameterControlImpl.requested(operations, in.operationId());
      boolean restart = wanted.keySet().stream().anyMatch(ParameterCatalog::needsRestart);
      parameters.apply(c, cloudId, wanted, restart, step.startedAt(in.row()).plus(api.settings().createTimeout()));
      return OperationStepResult.of("ModifyParameter (Forcerestart " + restart + "): running on " + cloudId + ": "
          + parameters.running(c, cloudId, wanted.keySet()));
    });
  }

  @Override
  public OperationStepResult resizeCloudInstance(OperationStepInput in) { // rdsflow_resize_cloud_instance
    return step.runOperation(in, (c, cloudId) -> {
      Map<String, Object> request = request(in);
      var now = polling.describe(c, cloudId, api.settings().callBudget());
      String cls = request.get("instanceClass") == null ? now.getDBInstanceClass() : request.get("instanceClass").toString();
      Integer storage = request.get("storageGb") == null ? now.getDBInstanceStorage() : ((Number) request.get("storageGb")).intValue();
      Map<String, String> facts = Map.of(FACT_CLASS, cls, FACT_STORAGE, storage.toString());
      String target = cloudId + " to class " + cls + ", " + storage + " GB";
      if (cls.equals(now.getDBInstanceClass()) && storage.equals(now.getDBInstanceStorage())) {
        return new OperationStepResult(cloudId + " has class " + cls + " and " + storage + " GB already", facts);
      }
      if (!"Running".equals(now.getDBInstanceStatus())) {
        if (retried()) {
          return new OperationStepResult("resizing " + target + " (ModifyDBInstanceSpec sent by an earlier try; now "
              + now.getDBInstanceStatus() + ")", facts);
        }
        throw new StepFailure(cloudId + " is " + now.getDBInstanceStatus() + ", not Running: not resized");
      }
      boolean answered = api.mutate(c.rds(), "ModifyDBInstanceSpec", heartbeat("resizing " + cloudId),
          () -> !"Running".equals(polling.describe(c, cloudId, api.settings().callBudget()).getDBInstanceStatus()),
          rt -> c.rds().client().modifyDBInstanceSpecWithOptions(new ModifyDBInstanceSpecRequest().setDBInstanceId(cloudId)
              .setDBInstanceClass(cls).setDBInstanceStorage(storage).setPayType(now.getPayType()), rt));
      return new OperationStepResult("ModifyDBInstanceSpec of " + target + " (was " + now.getDBInstanceClass() + ", "
          + now.getDBInstanceStorage() + " GB)" + (answered ? "" : " (a try whose answer was lost took effect)"), facts);
    });
  }

  @Override
  public OperationStepResult upgradeCloudMinorVersion(OperationStepInput in) { // rdsflow_upgrade_cloud_minor_version
    return step.runOperation(in, (c, cloudId) -> {
      var now = polling.describe(c, cloudId, api.settings().callBudget());
      String before = String.valueOf(now.getCurrentKernelVersion());
      if (!"Running".equals(now.getDBInstanceStatus())) {
        if (retried()) {
          return new OperationStepResult("upgrading " + cloudId + " from " + before + " (sent by an earlier try)",
              Map.of(FACT_KERNEL_BEFORE, before));
        }
        throw new StepFailure(cloudId + " is " + now.getDBInstanceStatus() + ", not Running: not upgraded");
      }
      AtomicReference<String> targetVersion = new AtomicReference<>("the newest minor version");
      api.mutate(c.rds(), "UpgradeDBInstanceKernelVersion", heartbeat("upgrading " + cloudId),
          () -> !"Running".equals(polling.describe(c, cloudId, api.settings().callBudget()).getDBInstanceStatus()),
          rt -> {
            var body = c.rds().client().upgradeDBInstanceKernelVersionWithOptions(new UpgradeDBInstanceKernelVersionRequest()
                .setDBInstanceId(cloudId).setUpgradeTime("Immediate"), rt).getBody();
            if (body != null && body.getTargetMinorVersion() != null) {
              targetVersion.set(body.getTargetMinorVersion());
            }
            return body;
          });
      return new OperationStepResult("UpgradeDBInstanceKernelVersion of " + cloudId + " from " + before + " to "
          + targetVersion.get(), Map.of(FACT_KERNEL_BEFORE, before));
    });
  }

  @Override
  public OperationStepResult waitCloudSpec(OperationStepInput in) { // rdsflow_wait_cloud_spec
    return step.runOperation(in, (c, cloudId) -> {
      Instant startedAt = step.startedAt(in.row());
      Instant deadline = startedAt.plus(api.settings().createTimeout());
      String wantedClass = in.facts().get(FACT_CLASS);
      String wantedStorage = in.facts().get(FACT_STORAGE);
      String kernelBefore = in.facts().get(FACT_KERNEL_BEFORE);
      String last = "unknown";
      while (true) {
        try {
          var now = polling.describe(c, cloudId, Duration.ZERO);
          String status = now.getDBInstanceStatus();
          String kernel = String.valueOf(now.getCurrentKernelVersion());
          last = status + ", class " + now.getDBInstanceClass() + ", " + now.getDBInstanceStorage() + " GB, kernel " + kernel;
          if (status.equals("Deleting") || status.equals("Released") || status.equals("Deleted")) {
            throw new StepFailure(cloudId + " is " + status + ": it was deleted outside rdsflow");
          }
          boolean done = "Running".equals(status)
              && (wantedClass == null || wantedClass.equals(now.getDBInstanceClass()))
              && (wantedStorage == null || wantedStorage.equals(String.valueOf(now.getDBInstanceStorage())))
              && (kernelBefore == null || !kernelBefore.equals(kernel));
          if (done) {
            return OperationStepResult.of(cloudId + " " + last + " after " + Duration.between(startedAt, Instant.now()).toSeconds() + " s");
          }
        } catch (CloudError e) {
          if (!e.retryable()) {
            throw e;
          }
          last = last + ", last error " + e.getMessage();
        }
        if (Instant.now().plus(api.settings().pollInterval()).isAfter(deadline)) {
          throw new StepFailure(cloudId + " not done within " + api.settings().createTimeout() + " (last: " + last + ")");
        }
        CloudApi.pause(api.settings().pollInterval(), heartbeat("waiting for " + cloudId + " (now " + last + ")"));
      }
    });
  }

  private Map<String, Object> request(OperationStepInput in) {
    OperationDao.Operation op = operations.find(in.operationId())
        .orElseThrow(() -> new StepFailure("operation " + in.operationId() + " has no row"));
    return new HashMap<>(Json.read(op.paramsJson(), new TypeReference<Map<String, Object>>() {}));
  }



}

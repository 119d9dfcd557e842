package io.rdsflow.activities.aliyun;

import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.CloudInstanceDao;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.activities.steps.StepFailure;
import io.rdsflow.activities.steps.StepRunner;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import io.temporal.activity.Activity;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * What every step of the aliyun engine does (the {@code Aliyun*StepsImpl} of this package): it loads its
 * context and translates cloud errors. Every cloud call goes through {@link CloudApi}; a non-retryable
 * cloud answer fails the step for good with the cloud's code and message, a retryable one that outlasts
 * the call budget fails this attempt and Temporal retries the step.
 *
 * <p>Every change is made once, even when the cloud made it and its answer was lost (a 5xx or a dropped
 * connection after the effect): CreateDBInstance carries the instance's ClientToken; every other change
 * goes through {@link CloudApi#mutate}, which looks whether a try whose answer was lost took effect before
 * sending it again; and a retried step looks at the cloud before it changes anything. Accounts and
 * databases carry the description {@link CloudRequests#ownerTag}, so one found already there
 * ("Duplicate") is known to be this instance's own, made by an earlier try, and one that is not is refused.
 */
public final class CloudStep {
  private final StepRunner runner;
  private final InstanceDao instances;
  private final StepDao steps;
  private final CloudInstanceDao cloud;
  private final AliyunClients clients;

  public CloudStep(StepRunner runner, InstanceDao instances, StepDao steps, CloudInstanceDao cloud, AliyunClients clients) {
    this.runner = runner;
    this.instances = instances;
    this.steps = steps;
    this.cloud = cloud;
    this.clients = clients;
  }

  /**
   * What a step works on: the instance row, its request, the account's client for its region, and the owner tags
   * ({@link CloudRequests#ownerTag}) of the accounts and databases it may hold: its own and, for a clone, those of the
   * instances its data was restored from (the cloud copies accounts and databases with their descriptions).
   */
  record Ctx(InstanceDao.Instance ins, CreateRequest request, AliyunClients.Rds rds, Set<String> owners) {
    CreateRequest.Aliyun spec() {
      return request.aliyun();
    }

    String id() {
      return ins.id();
    }
  }

  StepResult run(StepInput in, StepRunner.Body body) {
    return runner.run(in, () -> {
      try {
        return body.run();
      } catch (CloudError e) {
        if (e.retryable()) {
          throw e;
        }
        throw new StepFailure(e.getMessage());
      } catch (AliyunClients.AccountUnavailable | SecretCipher.WrongKeyException e) {
        throw new StepFailure(e.getMessage());
      }
    });
  }

  Ctx ctx(StepInput in) {
    InstanceDao.Instance ins = instances.get(in.instanceId());
    if (ins.engine() != Engine.ALIYUN || ins.aliyunUid() == null || ins.requestJson() == null) {
      throw new StepFailure("instance " + ins.id() + " is not an aliyun instance created by rdsflow");
    }
    CreateRequest request = Json.read(ins.requestJson(), CreateRequest.class);
    if (request.aliyun() == null) {
      throw new StepFailure("the request of " + ins.id() + " has no aliyun fields");
    }
    return new Ctx(ins, request, clients.rds(ins.aliyunUid(), ins.regionId()), owners(ins.id(), request));
  }

  /** This instance's owner tag, then its clone sources' back to the first (a clone of a clone holds the original's). */
  private Set<String> owners(String instanceId, CreateRequest request) {
    Set<String> out = new java.util.LinkedHashSet<>();
    out.add(CloudRequests.ownerTag(instanceId));
    CreateRequest.Restore source = request.restore();
    for (int depth = 0; source != null && depth < 16 && out.add(CloudRequests.ownerTag(source.sourceInstanceId())); depth++) {
      source = instances.find(source.sourceInstanceId()).map(InstanceDao.Instance::requestJson).filter(j -> j != null)
          .map(j -> Json.read(j, CreateRequest.class).restore()).orElse(null);
    }
    return Set.copyOf(out);
  }

  String cloudId(Ctx c) {
    String id = cloud.get(c.id()).cloudInstanceId();
    if (id == null) {
      throw new StepFailure("no cloud instance is recorded for " + c.id());
    }
    return id;
  }

  /** When this step first started, over all its attempts (the creation deadline counts from there). */
  Instant startedAt(StepInput in) {
    return steps.steps(in.workflowId()).stream().filter(s -> s.seq() == in.seq()).findFirst()
        .map(StepDao.StepRow::startedAt).filter(t -> t != null).orElse(Instant.now());
  }

  static Runnable heartbeat(String detail) {
    return () -> StepRunner.heartbeat(detail);
  }

  /** Whether an earlier attempt of this step ran (and may have changed the cloud already). */
  static boolean retried() {
    return Activity.getExecutionContext().getInfo().getAttempt() > 1;
  }

  static Set<String> csvSet(String csv) {
    Set<String> out = new HashSet<>();
    Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
    return out;
  }

  static String mask(String accessKeyId) {
    return accessKeyId.length() <= 8 ? "****" : accessKeyId.substring(0, 4) + "****"
        + accessKeyId.substring(accessKeyId.length() - 4);
  }

  /** The work of an operation step on a cloud instance. */
  @FunctionalInterface
  interface OperationBody {
    io.rdsflow.workflows.operate.OperationStepResult run(Ctx c, String cloudId) throws Exception;
  }

  /** An operation step: recorded, timed, cloud errors translated like a creation step; keeps the facts it reports. */
  io.rdsflow.workflows.operate.OperationStepResult runOperation(io.rdsflow.workflows.operate.OperationStepInput in,
      OperationBody body) {
    java.util.concurrent.atomic.AtomicReference<java.util.Map<String, String>> facts =
        new java.util.concurrent.atomic.AtomicReference<>(java.util.Map.of());
    StepResult r = run(in.row(), () -> {
      Ctx c = ctx(in.row());
      io.rdsflow.workflows.operate.OperationStepResult o = body.run(c, cloudId(c));
      facts.set(o.facts() == null ? java.util.Map.of() : o.facts());
      return StepResult.of(o.message());
    });
    return new io.rdsflow.workflows.operate.OperationStepResult(r.message(), facts.get());
  }
}

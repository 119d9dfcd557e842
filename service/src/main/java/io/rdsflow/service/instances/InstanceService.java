package io.rdsflow.service.instances;

import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.HostDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.NodeRoles;
import io.rdsflow.activities.meta.ProxyDao;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.service.api.CreateInstanceRequest;
import io.rdsflow.service.api.CreateInstanceSpec;
import io.rdsflow.service.api.CreateInstanceValidator;
import io.rdsflow.service.api.InstanceView;
import io.rdsflow.service.api.StepsView;
import io.rdsflow.service.api.TaskAccepted;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.service.temporal.InstanceWorkflows;
import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.create.CreateInput;
import io.rdsflow.workflows.create.CreateInstanceWorkflow;
import io.rdsflow.workflows.create.Plans;
import io.rdsflow.workflows.delete.DeleteInstanceWorkflow;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.steps.PlannedStep;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.rdsflow.activities.collect.CollectorSwitches;
import io.rdsflow.activities.collect.Collectors;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreateInstance, DeleteInstance and the instance views: validates, stores the request (passwords
 * encrypted) with its task and plan in one transaction, then starts the workflow.
 */
public final class InstanceService {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceService.class);

  private final Jdbi jdbi;
  private final InstanceDao instances;
  private final NodeDao nodes;
  private final HostDao hosts;
  private final StepDao steps;
  private final NodeRoles roles;
  private final ProxyDao proxies;
  private final SecretCipher cipher;
  private final WorkflowClient temporal;
  private final Supplier<String> localVersion;
  private final List<EngineCheck> engineChecks;
  private final CloneSource clones;
  private final CollectorSwitches switches;

  /** Engine-specific checks of a validated request that need the metadata (the aliyun account exists...). */
  public interface EngineCheck {
    void check(CreateInstanceSpec request);
  }

  public InstanceService(Jdbi jdbi, SecretCipher cipher, WorkflowClient temporal, Supplier<String> localVersion,
      List<EngineCheck> engineChecks) {
    this.jdbi = jdbi;
    this.instances = new InstanceDao(jdbi);
    this.nodes = new NodeDao(jdbi);
    this.hosts = new HostDao(jdbi);
    this.steps = new StepDao(jdbi);
    this.roles = new NodeRoles(jdbi);
    this.proxies = new ProxyDao(jdbi);
    this.cipher = cipher;
    this.temporal = temporal;
    this.localVersion = localVersion;
    this.engineChecks = engineChecks;
    this.clones = new CloneSource(jdbi);
    this.switches = new CollectorSwitches(jdbi);
  }

  public TaskAccepted create(CreateInstanceRequest request) {
    CollectorSettings.check(request.collectors()); // the request's own, also for a clone
    CloneSource.Clone clone = clones.resolve(request);
    CreateInstanceSpec r = CreateInstanceValidator.validate(clone == null ? request : clone.request(), localVersion);
    engineChecks.forEach(c -> c.check(r));
    if (r.placement() != null && r.engine() == Engine.LOCAL) {
      registeredHost("placement.master", r.placement().master());
      registeredHost("placement.slave", r.placement().slave());
    }
    var retried = retriedCreation(r);
    if (retried.isPresent()) {
      return retried.get();
    }
    if (instances.nameInUse(r.name())) {
      // looked up again: a concurrent request with this clientToken may have committed in between
      return retriedCreation(r).orElseThrow(() -> ApiException.invalid("name", "an instance named " + r.name() + " exists already"));
    }
    String id = newId(r.engine());
    String workflowId = CreateInstanceWorkflow.workflowId(id);
    CreateInput plain = new CreateInput(id, r.engine(), r.topology(), r.engineVersion(), r.timeZone() != null);
    CreateInput described = clone == null ? plain : plain.asClone();
    List<PlannedStep> plan = Plans.of(described);
    CreateInput input = described.withPlan(plan);
    try {
      jdbi.useTransaction(h -> {
        InstanceDao.insert(h, new InstanceDao.Instance(id, r.name(), r.engine(), r.engineVersion(), null, r.topology(),
            InstanceStatus.CREATING, r.aliyunUid(), r.regionId(), r.clientToken(), Json.write(storedRequest(r, clone)), null, null, false, null));
        if (clone != null) {
          clones.copyInto(h, id, clone);
        }
        for (CreateInstanceRequest.AccountSpec a : r.accounts()) {
          RequestDao.insertAccount(h, id, new RequestDao.Account(a.name(), "user", cipher.encrypt(a.password()),
              Json.write(a.privileges()), "Creating"));
        }
        for (CreateInstanceRequest.DatabaseSpec d : r.databases()) {
          RequestDao.insertDatabase(h, id, new RequestDao.Database(d.name(), d.charset()));
        }
        for (String e : r.whitelist()) {
          RequestDao.insertWhitelist(h, id, "user", e);
        }
        StepDao.insertTask(h, workflowId, id, "create", plan);
      });
    } catch (UnableToExecuteStatementException e) {
      // a concurrent request won the race: the same clientToken is that request's instance; the same
      // name otherwise is a taken name (uk_instance_live_name; ErrorMappers says so)
      if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
        var winner = retriedCreation(r);
        if (winner.isPresent()) {
          return winner.get();
        }
      }
      throw e;
    }
    CollectorSettings.store(jdbi, id, request.collectors());
    try {
      CreateInstanceWorkflow wf = temporal.newWorkflowStub(CreateInstanceWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(workflowId).setTaskQueue(TaskQueues.CONTROL)
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE).build());
      WorkflowClient.start(wf::create, input);
    } catch (RuntimeException e) {
      instances.setStatus(id, InstanceStatus.FAILED, "the workflow could not be started: " + e.getMessage());
      steps.setTaskStatus(workflowId, TaskStatus.FAILED, e.getMessage());
      throw new ApiException(503, "temporal_unavailable", "the workflow could not be started: " + e.getMessage());
    }
    LOG.info("[{}] CreateInstance {} ({} {} {}) started as {}{}", id, r.name(), r.engine(), r.engineVersion(), r.topology(), workflowId,
        clone == null ? "" : ", a clone of " + clone.restore().sourceInstanceId() + " from backup " + clone.restore().backupId()
            + (clone.restore().pointInTime() == null ? "" : " rolled forward to " + clone.restore().pointInTime()));
    return new TaskAccepted(id, workflowId, InstanceStatus.CREATING);
  }

  /** The request as steps read it back, in the validator's normalised form: no passwords. */
  private static CreateRequest storedRequest(CreateInstanceSpec r, CloneSource.Clone clone) {
    CreateRequest.Backup backup = r.backup() == null ? null
        : new CreateRequest.Backup(r.backup().retentionDays(), r.backup().preferredTime());
    CreateRequest.Placement placement = r.placement() == null ? null
        : new CreateRequest.Placement(r.placement().master(), r.placement().slave());
    CreateRequest.Aliyun aliyun = r.engine() != Engine.ALIYUN ? null
        : new CreateRequest.Aliyun(r.zoneId(), r.instanceClass(), r.storageGb() == null ? 0 : r.storageGb(), r.vpcId(), r.vswitchId());
    return new CreateRequest(r.parameters(), r.timeZone(), backup, placement, aliyun, clone == null ? null : clone.restore());
  }

  public TaskAccepted delete(String id) {
    InstanceDao.Instance ins = instances.find(id).orElseThrow(() -> ApiException.notFound("instance " + id));
    if (ins.status() == InstanceStatus.DELETING && steps.latestTask(id, "create").filter(t -> t.status() == TaskStatus.RUNNING).isPresent()) {
      // a creation being compensated removes its cloud instance (DELETING): no second removal beside it
      LOG.info("[{}] DeleteInstance while its creation is being compensated: nothing more to do", id);
      return new TaskAccepted(id, CreateInstanceWorkflow.workflowId(id), InstanceStatus.DELETING);
    }
    switch (ins.status()) {
      case CREATING -> {
        temporal.newWorkflowStub(CreateInstanceWorkflow.class, CreateInstanceWorkflow.workflowId(id))
            .abort("cancelled by DeleteInstance");
        LOG.info("[{}] DeleteInstance while CREATING: creation stops after its running step, compensation runs", id);
        return new TaskAccepted(id, CreateInstanceWorkflow.workflowId(id), InstanceStatus.CANCELLING);
      }
      case DELETED -> {
        return new TaskAccepted(id, DeleteInstanceWorkflow.workflowId(id), InstanceStatus.DELETED);
      }
      default -> {
        String workflowId = DeleteInstanceWorkflow.workflowId(id);
        if (!OperationDao.lockForDeletion(jdbi, id, workflowId)) {
          throw ApiException.conflict("operation " + new OperationDao(jdbi).running(id).orElse("?") + " is running on instance "
              + id + "; delete the instance once that operation has ended");
        }
        // a deletion that failed before (FAILED) runs again under the same task
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO tasks(workflow_id, ins_id, kind, status) "
            + "VALUES (:w, :i, 'delete', :running) ON DUPLICATE KEY UPDATE status = :running, error_message = NULL")
            .bind("w", workflowId).bind("i", id).bind("running", TaskStatus.RUNNING.wire()).execute());
        boolean started = ins.status() == InstanceStatus.FAILED ? InstanceWorkflows.startDeleteAgain(temporal, id, ins.engine())
            : InstanceWorkflows.startDelete(temporal, id, ins.engine());
        if (!started) {
          LOG.info("[{}] DeleteInstance already running", id);
        }
        return new TaskAccepted(id, workflowId, InstanceStatus.DELETING);
      }
    }
  }

  public List<InstanceView> list() {
    List<InstanceView> out = new ArrayList<>();
    for (InstanceDao.Instance i : instances.list()) {
      out.add(view(i));
    }
    return out;
  }

  public InstanceView get(String id) {
    return view(instances.find(id).orElseThrow(() -> ApiException.notFound("instance " + id)));
  }

  private InstanceView view(InstanceDao.Instance i) {
    List<InstanceView.Endpoint> endpoints = new ArrayList<>();
    if (i.status() != InstanceStatus.DELETED && i.status() != InstanceStatus.FAILED) {
      for (NodeDao.Node n : nodes.nodes(i.id())) {
        String address = hosts.find(n.host()).map(HostDao.Host::address).orElse(n.host());
        endpoints.add(new InstanceView.Endpoint(roles.servesAs(i.id(), n.role()), address, n.port()));
      }
      proxies.find(i.id()).ifPresent(p -> {
        String address = hosts.find(p.host()).map(HostDao.Host::address).orElse(p.host());
        endpoints.add(new InstanceView.Endpoint(Role.WRITER, address, p.writerPort()));
        endpoints.add(new InstanceView.Endpoint(Role.READER, address, p.readerPort()));
      });
    }
    Instant deletingSince = i.status() == InstanceStatus.DELETING ? instances.deletingSince(i.id()).orElse(null) : null;
    return new InstanceView(i.id(), i.name(), i.engine(), i.engineVersion(), i.minorVersion(), i.topology(), i.status(),
        i.aliyunUid(), endpoints, i.errorMessage(), i.createdAt(), deletingSince,
        Collectors.effective(switches.get(i.id())));
  }

  public StepsView steps(String id, String kind) {
    instances.find(id).orElseThrow(() -> ApiException.notFound("instance " + id));
    StepDao.Task task = steps.latestTask(id, kind).orElseThrow(() -> ApiException.notFound(kind + " task of instance " + id));
    List<StepDao.StepRow> rows = steps.steps(task.workflowId());
    long done = rows.stream().filter(StepDao.StepRow::done).count();
    List<StepsView.Step> list = rows.stream().map(s -> new StepsView.Step(s.name(), s.role(), s.status(), s.attempt(),
        s.startedAt(), s.finishedAt(), s.message())).toList();
    return new StepsView(task.workflowId(), task.kind(), task.status(), done + "/" + rows.size(), list);
  }

  /** The instance an earlier request with this request's clientToken created, if any. */
  private java.util.Optional<TaskAccepted> retriedCreation(CreateInstanceSpec r) {
    if (r.clientToken() == null) {
      return java.util.Optional.empty();
    }
    return instances.findByClientToken(r.clientToken())
        .map(i -> new TaskAccepted(i.id(), CreateInstanceWorkflow.workflowId(i.id()), i.status()));
  }

  private void registeredHost(String field, String host) {
    if (host != null && hosts.find(host).isEmpty()) {
      throw ApiException.invalid(field, "no registered host is named " + host + " (hosts register when their agent starts)");
    }
  }

  private static String newId(Engine engine) {
    return (engine == Engine.ALIYUN ? "ra-" : "rl-") + HexFormat.of().formatHex(SecretCipher.randomBytes(6));
  }

}

package io.rdsflow.service.operations;

import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.NodeRoles;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.activities.ops.OperationClaims;
import io.rdsflow.service.api.InstancePatch;
import io.rdsflow.service.api.OperationAccepted;
import io.rdsflow.service.api.OperationRequest;
import io.rdsflow.service.api.OperationView;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.TaskQueues;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.domain.Trigger;
import io.rdsflow.workflows.operate.OperationInput;
import io.rdsflow.workflows.operate.OperationPlans;
import io.rdsflow.workflows.operate.OperationWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Day-2 operations (DESIGN §4b): checks that the type applies, takes the instance's operation lock
 * with the operation's row and step rows in one transaction, then starts its workflow.
 */
public final class OperationService {
  private static final Logger LOG = LoggerFactory.getLogger(OperationService.class);

  private final Jdbi jdbi;
  private final InstanceDao instances;
  private final NodeDao nodes;
  private final NodeRoles roles;
  private final OperationDao operations;
  private final StepDao steps;
  private final WorkflowClient temporal;

  public OperationService(Jdbi jdbi, WorkflowClient temporal) {
    this.jdbi = jdbi;
    this.instances = new InstanceDao(jdbi);
    this.nodes = new NodeDao(jdbi);
    this.roles = new NodeRoles(jdbi);
    this.operations = new OperationDao(jdbi);
    this.steps = new StepDao(jdbi);
    this.temporal = temporal;
  }

  public OperationAccepted start(String instanceId, OperationRequest r, Trigger trigger) {
    InstanceDao.Instance ins = instances.find(instanceId).orElseThrow(() -> ApiException.notFound("instance " + instanceId));
    if (r == null || r.type() == null) {
      throw ApiException.invalid("type", "required: one of " + OperationType.allowed());
    }
    OperationType type = parse(r.type());
    busy(ins);
    Role writer = roles.writer(instanceId);
    OperationPlans.Plan plan;
    if (SpecChanges.applies(type)) {
      SpecChanges.Planned planned = SpecChanges.plan(ins, type, r, writer, roles.needingRebuild(instanceId));
      plan = planned.plan();
      r = planned.stored(); // the steps read the normalised request from the operation's row
    } else {
      plan = OperationRules.plan(ins, type, writer, node(r, type, ins, writer), roles.needingRebuild(instanceId));
    }
    Map<String, String> hosts = new TreeMap<>();
    nodes.nodes(instanceId).forEach(n -> hosts.put(n.role().wire(), n.host()));
    OperationInput input = OperationClaims.claim(jdbi, instanceId, type, trigger, plan, hosts, Json.write(r)).orElseGet(() -> {
      busy(instances.find(instanceId).orElseThrow());
      throw ApiException.conflict("instance " + instanceId + " is not RUNNING");
    });
    String opId = input.operationId();
    try {
      OperationWorkflow wf = temporal.newWorkflowStub(OperationWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(opId).setTaskQueue(TaskQueues.CONTROL)
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE).build());
      WorkflowClient.start(wf::run, input);
    } catch (RuntimeException e) {
      operations.finish(opId, TaskStatus.FAILED, "the workflow could not be started: " + e.getMessage());
      steps.setTaskStatus(opId, TaskStatus.FAILED, e.getMessage());
      throw new ApiException(503, "temporal_unavailable", "the workflow could not be started: " + e.getMessage());
    }
    LOG.info("[{}] operation {} ({}, {}) started", instanceId, opId, type, trigger);
    return new OperationAccepted(opId, opId, TaskStatus.RUNNING);
  }

  /**
   * {@code PATCH /v1/instances/{id}}: automatic failover on or off (local master-slave instances), collector
   * switches (any instance; the next round reads them). Everything is checked before anything changes.
   */
  public void patch(String instanceId, InstancePatch patch) {
    InstanceDao.Instance ins = instances.find(instanceId).orElseThrow(() -> ApiException.notFound("instance " + instanceId));
    if (patch == null || patch.autoFailover() == null && patch.collectors() == null) {
      throw ApiException.invalid("autoFailover", "required: true or false (or collectors: {\"processlist\": false, ...})");
    }
    io.rdsflow.service.instances.CollectorSettings.check(patch.collectors());
    if (patch.autoFailover() != null
        && (ins.engine() != io.rdsflow.workflows.domain.Engine.LOCAL || !ins.masterSlave())) {
      throw ApiException.invalid("autoFailover", "only a local master-slave instance fails over automatically");
    }
    if (patch.autoFailover() != null) {
      operations.setAutoFailover(instanceId, patch.autoFailover());
      LOG.info("[{}] automatic failover {}", instanceId, patch.autoFailover() ? "on" : "off");
    }
    if (patch.collectors() != null) {
      io.rdsflow.service.instances.CollectorSettings.store(jdbi, instanceId, patch.collectors());
      LOG.info("[{}] collectors {}", instanceId, patch.collectors());
    }
  }

  public OperationView get(String operationId) {
    return view(operations.find(operationId).orElseThrow(() -> ApiException.notFound("operation " + operationId)));
  }

  /** The instance's operations, newest first. */
  public List<OperationView> list(String instanceId) {
    instances.find(instanceId).orElseThrow(() -> ApiException.notFound("instance " + instanceId));
    return operations.list(instanceId).stream().map(this::view).toList();
  }

  private OperationView view(OperationDao.Operation op) {
    List<StepDao.StepRow> rows = steps.steps(op.operationId());
    long done = rows.stream().map(s -> String.valueOf(s.status())).filter(s -> !s.equals("PENDING") && !s.equals("RUNNING")).count();
    List<OperationView.Step> list = rows.stream().map(s -> new OperationView.Step(s.name(), String.valueOf(s.role()),
        String.valueOf(s.status()), s.attempt(), s.startedAt(), s.finishedAt(), s.message())).toList();
    return new OperationView(op.operationId(), op.instanceId(), op.type(), op.trigger(), op.status(), done + "/" + rows.size(),
        list, op.error(), op.startedAt(), op.finishedAt());
  }

  /** 409 naming what runs on the instance: its creation, its deletion or another operation. */
  private void busy(InstanceDao.Instance ins) {
    String id = ins.id();
    if (ins.status() == InstanceStatus.CREATING) {
      throw ApiException.conflict("instance " + id + " is being created (workflow create-" + id + ")");
    }
    if (ins.status() == InstanceStatus.DELETING || ins.status() == InstanceStatus.CANCELLING) {
      throw ApiException.conflict("instance " + id + " is being deleted (workflow delete-" + id + ")");
    }
    operations.running(id).ifPresent(op -> {
      throw ApiException.conflict("operation " + op + " is running on instance " + id);
    });
    if (ins.status() != InstanceStatus.RUNNING) {
      throw ApiException.invalid("instance", "instance " + id + " is " + ins.status() + ": no operation applies");
    }
  }

  private static OperationType parse(String type) {
    try {
      return OperationType.of(type);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("type", "unknown operation type; one of " + OperationType.allowed());
    }
  }

  /** The node a restart or rebuild names by the role it serves in now, as the node's name; null: the default. */
  private static Role node(OperationRequest r, OperationType type, InstanceDao.Instance ins, Role writer) {
    if (r.node() == null) {
      return null;
    }
    if (type != OperationType.RESTART && type != OperationType.REBUILD) {
      throw ApiException.invalid("node", "only a restart or a rebuild takes a node");
    }
    return switch (r.node()) {
      case "master" -> writer;
      case "slave" -> {
        if (!ins.masterSlave()) {
          throw ApiException.invalid("node", "a single instance has no slave");
        }
        yield OperationPlans.other(writer);
      }
      default -> throw ApiException.invalid("node", "must be master or slave");
    };
  }
}

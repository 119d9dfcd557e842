package io.rdsflow.activities.ops;

import com.codahale.metrics.MetricRegistry;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.NodeRoles;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.workflows.activities.HealthControl;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.OperationType;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.Trigger;
import io.rdsflow.workflows.health.HealthTargets;
import io.rdsflow.workflows.operate.OperationInput;
import io.rdsflow.workflows.operate.OperationPlans;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the health workflow watches, and its claim of an instance for an automatic failover (guard rails) or rebuild. */
public final class HealthControlImpl implements HealthControl {
  private static final Logger LOG = LoggerFactory.getLogger(HealthControlImpl.class);

  private final Jdbi jdbi;
  private final InstanceDao instances;
  private final NodeDao nodes;
  private final NodeRoles roles;
  private final OperationDao operations;
  private final MetricRegistry metrics;
  /** {@code rdsflow_auto_failover_suppressed_total}: a dead master left alone by the guard rails (alert RdsflowAutomaticFailoverSuppressed). */
  static final String SUPPRESSED = MetricRegistry.name("rdsflow", "auto", "failover", "suppressed");

  public HealthControlImpl(Jdbi jdbi, MetricRegistry metrics) {
    this.jdbi = jdbi;
    this.instances = new InstanceDao(jdbi);
    this.nodes = new NodeDao(jdbi);
    this.roles = new NodeRoles(jdbi);
    this.operations = new OperationDao(jdbi);
    this.metrics = metrics;
    metrics.meter(SUPPRESSED); // on /metrics at 0 from the start, so the first suppression is an increase
  }

  @Override
  public HealthTargets targets(String instanceId) {
    Optional<InstanceDao.Instance> found = instances.find(instanceId);
    if (found.isEmpty() || found.get().engine() != Engine.LOCAL || !found.get().masterSlave()
        || found.get().status() == InstanceStatus.DELETED || found.get().status() == InstanceStatus.FAILED) {
      return new HealthTargets(true, null, null, null, null, null, null);
    }
    InstanceDao.Instance ins = found.get();
    String wait = waitReason(ins);
    Role writer = roles.writer(instanceId);
    Role reader = OperationPlans.other(writer);
    String readerHost = nodes.nodes(instanceId).stream().filter(n -> n.role() == reader).map(NodeDao.Node::host)
        .findFirst().orElse(null);
    Role rebuild = wait == null ? null : roles.needingRebuild(instanceId).filter(n -> wait.equals(rebuildWait(n))).orElse(null);
    String rebuildHost = rebuild == null ? null : nodes.nodes(instanceId).stream().filter(n -> n.role() == rebuild)
        .map(NodeDao.Node::host).findFirst().orElse(null);
    return new HealthTargets(false, readerHost == null ? "no slave node" : wait, writer, reader, readerHost,
        rebuildHost == null ? null : rebuild, rebuildHost);
  }

  private static String rebuildWait(Role node) {
    return "node " + node + " waits for a rebuild";
  }

  private String waitReason(InstanceDao.Instance ins) {
    if (ins.status() != InstanceStatus.RUNNING) {
      return "instance is " + ins.status();
    }
    Optional<String> op = operations.running(ins.id());
    if (op.isPresent()) {
      return "operation " + op.get() + " is running";
    }
    if (!operations.autoFailover(ins.id())) {
      return "automatic failover is off";
    }
    return roles.needingRebuild(ins.id()).map(HealthControlImpl::rebuildWait).orElse(null);
  }

  @Override
  public OperationInput claimAutoFailover(String instanceId, String evidence) {
    Role writer = roles.writer(instanceId);
    Map<String, String> hosts = new TreeMap<>();
    nodes.nodes(instanceId).forEach(n -> hosts.put(n.role().wire(), n.host()));
    Optional<OperationInput> claimed = OperationClaims.claim(jdbi, instanceId, OperationType.FAILOVER, Trigger.AUTO,
        OperationPlans.failover(writer), hosts, io.rdsflow.activities.meta.Json.write(Map.of("type", "failover",
            "evidence", evidence)));
    if (claimed.isEmpty()) {
      metrics.meter(SUPPRESSED).mark();
      LOG.error("[{}] the master is down ({}) but automatic failover is suppressed: {}", instanceId, evidence,
          suppression(instanceId));
      return null;
    }
    LOG.warn("[{}] the master is down ({}): automatic failover {}", instanceId, evidence, claimed.get().operationId());
    return claimed.get();
  }

  @Override
  public OperationInput claimAutoRebuild(String instanceId, Role node) {
    if (!roles.needsRebuild(instanceId, node)) {
      return null;
    }
    Role writer = roles.writer(instanceId);
    if (node == writer) {
      LOG.error("[{}] node {} waits for a rebuild but serves as master: not rebuilt automatically", instanceId, node);
      return null;
    }
    Map<String, String> hosts = new TreeMap<>();
    nodes.nodes(instanceId).forEach(n -> hosts.put(n.role().wire(), n.host()));
    Optional<OperationInput> claimed = OperationClaims.claim(jdbi, instanceId, OperationType.REBUILD, Trigger.AUTO,
        OperationPlans.rebuild(writer, node), hosts, io.rdsflow.activities.meta.Json.write(Map.of("type", "rebuild",
            "node", "slave"))); // the request's node is the role it serves in: the reader
    claimed.ifPresent(op -> LOG.warn("[{}] node {} waits for a rebuild: automatic rebuild {}", instanceId, node, op.operationId()));
    return claimed.orElse(null);
  }

  private String suppression(String instanceId) {
    String reason = instances.find(instanceId).map(this::waitReason).orElse(null);
    return reason != null ? reason
        : "it failed over automatically less than " + OperationClaims.AUTO_FAILOVER_WINDOW.toMinutes() + " minutes ago";
  }
}

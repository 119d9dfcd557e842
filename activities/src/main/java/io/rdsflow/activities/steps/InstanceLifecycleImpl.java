package io.rdsflow.activities.steps;

import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.workflows.activities.InstanceLifecycle;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Status changes of instances and tasks around the steps. */
public final class InstanceLifecycleImpl implements InstanceLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceLifecycleImpl.class);

  private final InstanceDao instances;
  private final NodeDao nodes;
  private final StepDao steps;

  public InstanceLifecycleImpl(InstanceDao instances, NodeDao nodes, StepDao steps) {
    this.instances = instances;
    this.nodes = nodes;
    this.steps = steps;
  }

  @Override
  public void markInstanceRunning(String instanceId, String workflowId) {
    instances.setStatus(instanceId, InstanceStatus.RUNNING, null);
    steps.setTaskStatus(workflowId, TaskStatus.SUCCEEDED, null);
    LOG.info("[{}] instance RUNNING", instanceId);
  }

  @Override
  public void markInstanceFailed(String instanceId, String workflowId, String failedStep, String message,
      List<String> cleanupProblems) {
    nodes.releasePorts(instanceId);
    if (cleanupProblems == null || cleanupProblems.isEmpty()) {
      steps.markCompensated(workflowId);
    } else {
      steps.markNotCompensated(workflowId, String.join("; ", cleanupProblems));
    }
    String error = failedStep + " failed: " + message;
    instances.setMonitoring(instanceId, false, null, null);
    instances.setStatus(instanceId, InstanceStatus.FAILED, error);
    steps.setTaskStatus(workflowId, TaskStatus.FAILED, error);
    LOG.error("[{}] instance FAILED after compensation: {}", instanceId, error);
  }

  @Override
  public Map<String, String> beginDelete(String instanceId, String workflowId) {
    instances.beginDeleting(instanceId);
    instances.setMonitoring(instanceId, false, null, null);
    Map<String, String> placed = placedNodes(instanceId);
    LOG.info("[{}] deleting nodes {}", instanceId, placed);
    return placed;
  }

  @Override
  public Map<String, String> placedNodes(String instanceId) {
    Map<String, String> placed = new TreeMap<>();
    nodes.nodes(instanceId).forEach(n -> placed.put(n.role().wire(), n.host()));
    return placed;
  }

  @Override
  public void finishDelete(String instanceId, String workflowId) {
    nodes.releasePorts(instanceId);
    instances.setStatus(instanceId, InstanceStatus.DELETED, null);
    steps.setTaskStatus(workflowId, TaskStatus.SUCCEEDED, null);
    LOG.info("[{}] instance DELETED", instanceId);
  }
}

package io.rdsflow.activities.ops;

import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.NodeRoles;
import io.rdsflow.workflows.activities.ArchiveControl;
import io.rdsflow.workflows.archive.ArchiveTarget;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.Role;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Whose binlogs the archive copies now: the node serving as master (read each round: it follows switchovers). */
public final class ArchiveControlImpl implements ArchiveControl {
  private final InstanceDao instances;
  private final NodeDao nodes;
  private final NodeRoles roles;

  public ArchiveControlImpl(Jdbi jdbi) {
    this.instances = new InstanceDao(jdbi);
    this.nodes = new NodeDao(jdbi);
    this.roles = new NodeRoles(jdbi);
  }

  @Override
  public ArchiveTarget archiveTarget(String instanceId) {
    Optional<InstanceDao.Instance> found = instances.find(instanceId);
    if (found.isEmpty() || found.get().engine() != Engine.LOCAL || found.get().status() == InstanceStatus.DELETED
        || found.get().status() == InstanceStatus.FAILED) {
      return new ArchiveTarget(true, null, null);
    }
    if (found.get().status() != InstanceStatus.RUNNING) {
      return new ArchiveTarget(false, null, null); // being created or deleted: nothing to archive this round
    }
    Role writer = found.get().masterSlave() ? roles.writer(instanceId) : Role.MASTER;
    String host = nodes.nodes(instanceId).stream().filter(n -> n.role() == writer).map(NodeDao.Node::host).findFirst().orElse(null);
    return new ArchiveTarget(false, writer, host);
  }
}

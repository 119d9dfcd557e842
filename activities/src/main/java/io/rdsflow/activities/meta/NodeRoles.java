package io.rdsflow.activities.meta;

import io.rdsflow.workflows.domain.Role;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Which node serves as what: a node keeps the name it was created with ({@code instance_nodes.role})
 * and serves as {@code serves_as} (NULL: its name). Switchover and failover swap the serving roles.
 */
public final class NodeRoles {
  private final Jdbi jdbi;

  public NodeRoles(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The name of the node serving as master (writer): {@code master} unless a switchover moved it. */
  public Role writer(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT role FROM instance_nodes WHERE ins_id = :i "
            + "AND COALESCE(serves_as, role) = 'master'")
        .bind("i", instanceId).mapTo(String.class).findOne()).map(Role::of).orElse(Role.MASTER);
  }

  /** What the node serves as now. */
  public Role servesAs(String instanceId, Role node) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(serves_as, role) FROM instance_nodes WHERE ins_id = :i AND role = :r")
        .bind("i", instanceId).bind("r", node.wire()).mapTo(String.class).findOne()).map(Role::of).orElse(node);
  }

  /** The two nodes exchange serving roles; returns the name of the new writer. */
  public Role swap(String instanceId) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("UPDATE instance_nodes SET serves_as = CASE COALESCE(serves_as, role) WHEN 'master' THEN 'slave' "
              + "ELSE 'master' END WHERE ins_id = :i")
          .bind("i", instanceId).execute();
      return h.createQuery("SELECT role FROM instance_nodes WHERE ins_id = :i AND serves_as = 'master'")
          .bind("i", instanceId).mapTo(String.class).findOne().map(Role::of).orElseThrow();
    });
  }

  public void markForRebuild(String instanceId, Role node, boolean needed) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_nodes SET needs_rebuild = :n WHERE ins_id = :i AND role = :r")
        .bind("n", needed ? 1 : 0).bind("i", instanceId).bind("r", node.wire()).execute());
  }

  public boolean needsRebuild(String instanceId, Role node) {
    return jdbi.withHandle(h -> h.createQuery("SELECT needs_rebuild FROM instance_nodes WHERE ins_id = :i AND role = :r")
        .bind("i", instanceId).bind("r", node.wire()).mapTo(Integer.class).findOne()).orElse(0) == 1;
  }

  public Optional<Role> needingRebuild(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT role FROM instance_nodes WHERE ins_id = :i AND needs_rebuild = 1")
        .bind("i", instanceId).mapTo(String.class).findOne()).map(Role::of);
  }
}

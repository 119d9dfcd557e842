package io.rdsflow.activities.meta;

import io.rdsflow.workflows.domain.Role;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@code instance_nodes} and {@code port_allocations}: where each node of an instance lives. */
public final class NodeDao {
  /** One node: a server process of an instance on a host; {@code role} is stored as its wire string. */
  public record Node(String instanceId, Role role, String host, int port, String baseDir, Long pid) {}

  private final Jdbi jdbi;

  public NodeDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Every port of the host's range is allocated: retrying does not free one. */
  public static final class PortsExhausted extends IllegalStateException {
    PortsExhausted(String message) {
      super(message);
    }
  }

  /**
   * The port of (instance, role) on the host: the one allocated earlier, else the lowest port of
   * the range that no allocation holds. The primary key on (host, port) makes two concurrent
   * allocations of one port impossible; the loser tries the next port.
   */
  public int allocatePort(String instanceId, Role role, String host, int from, int to) {
    for (int attempt = 0; attempt < 50; attempt++) {
      Optional<Integer> mine = jdbi.withHandle(h -> h.createQuery(
              "SELECT port FROM port_allocations WHERE ins_id = :id AND role = :role AND host = :host")
          .bind("id", instanceId).bind("role", role.wire()).bind("host", host).mapTo(Integer.class).findOne());
      if (mine.isPresent()) {
        return mine.get();
      }
      List<Integer> used = jdbi.withHandle(h -> h.createQuery(
              "SELECT port FROM port_allocations WHERE host = :host AND port BETWEEN :from AND :to ORDER BY port")
          .bind("host", host).bind("from", from).bind("to", to).mapTo(Integer.class).list());
      int candidate = from;
      for (int p : used) {
        if (p == candidate) {
          candidate++;
        } else if (p > candidate) {
          break;
        }
      }
      if (candidate > to) {
        throw new PortsExhausted("no free port left in " + from + "-" + to + " on host " + host);
      }
      int port = candidate;
      try {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM port_allocations WHERE ins_id = :id AND role = :role")
            .bind("id", instanceId).bind("role", role.wire()).execute());
        jdbi.useHandle(h -> h.createUpdate(
                "INSERT INTO port_allocations(host, port, ins_id, role) VALUES (:host, :port, :id, :role)")
            .bind("host", host).bind("port", port).bind("id", instanceId).bind("role", role.wire()).execute());
        return port;
      } catch (UnableToExecuteStatementException e) {
        if (!(e.getCause() instanceof SQLIntegrityConstraintViolationException)) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("could not allocate a port on " + host + " after 50 tries");
  }

  public void releasePorts(String instanceId) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM port_allocations WHERE ins_id = :id").bind("id", instanceId).execute());
  }

  public int allocatedPorts(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM port_allocations WHERE ins_id = :id")
        .bind("id", instanceId).mapTo(Integer.class).one());
  }

  public void upsert(String instanceId, Role role, String host, int port) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO instance_nodes(ins_id, role, host, port) VALUES (:id, :role, :host, :port) "
            + "ON DUPLICATE KEY UPDATE host = VALUES(host), port = VALUES(port)")
        .bind("id", instanceId).bind("role", role.wire()).bind("host", host).bind("port", port).execute());
  }

  public void setBaseDir(String instanceId, Role role, String baseDir) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_nodes SET base_dir = :d WHERE ins_id = :id AND role = :role")
        .bind("id", instanceId).bind("role", role.wire()).bind("d", baseDir).execute());
  }

  public void setPid(String instanceId, Role role, Long pid) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE instance_nodes SET pid = :pid WHERE ins_id = :id AND role = :role")
        .bind("id", instanceId).bind("role", role.wire()).bind("pid", pid).execute());
  }

  public List<Node> nodes(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT ins_id, role, host, port, base_dir, pid FROM instance_nodes "
            + "WHERE ins_id = :id ORDER BY role")
        .bind("id", instanceId)
        .map((rs, ctx) -> new Node(rs.getString(1), Role.of(rs.getString(2)), rs.getString(3), rs.getInt(4), rs.getString(5),
            rs.getObject(6) == null ? null : rs.getLong(6)))
        .list());
  }

  public Node node(String instanceId, Role role) {
    return nodes(instanceId).stream().filter(n -> n.role() == role).findFirst()
        .orElseThrow(() -> new IllegalStateException("instance " + instanceId + " has no " + role + " node"));
  }
}

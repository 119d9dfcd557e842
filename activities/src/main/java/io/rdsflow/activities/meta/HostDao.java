package io.rdsflow.activities.meta;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@code hosts}: the hosts whose agents poll {@code host.<name>}, refreshed while they run. */
public final class HostDao {
  /** An agent's host: its name, the address instances on it are reached at, and what it can run. */
  public record Host(String name, String address, String baseDir, String flavor, String version, String portRange) {
    public int portFrom() {
      return Integer.parseInt(portRange.split("-")[0]);
    }

    public int portTo() {
      return Integer.parseInt(portRange.split("-")[1]);
    }
  }

  private final Jdbi jdbi;

  public HostDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void heartbeat(Host h) {
    jdbi.useHandle(x -> x.createUpdate("INSERT INTO hosts(host_name, address, base_dir, server_flavor, server_version, "
            + "port_range, last_seen) VALUES (:n, :a, :d, :f, :v, :r, CURRENT_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE "
            + "address = VALUES(address), base_dir = VALUES(base_dir), server_flavor = VALUES(server_flavor), "
            + "server_version = VALUES(server_version), port_range = VALUES(port_range), last_seen = CURRENT_TIMESTAMP(3)")
        .bind("n", h.name()).bind("a", h.address()).bind("d", h.baseDir()).bind("f", h.flavor())
        .bind("v", h.version()).bind("r", h.portRange()).execute());
  }

  /** Hosts seen within the last {@code seconds}, fewest instances first. */
  public List<Host> alive(int seconds) {
    return jdbi.withHandle(x -> x.createQuery("SELECT h.host_name, h.address, h.base_dir, h.server_flavor, "
            + "h.server_version, h.port_range FROM hosts h WHERE h.last_seen > NOW(3) - INTERVAL :s SECOND "
            + "ORDER BY (SELECT COUNT(*) FROM port_allocations p WHERE p.host = h.host_name), h.host_name")
        .bind("s", seconds).map((rs, ctx) -> new Host(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6))).list());
  }

  public Optional<Host> find(String name) {
    return jdbi.withHandle(x -> x.createQuery("SELECT host_name, address, base_dir, server_flavor, server_version, "
            + "port_range FROM hosts WHERE host_name = :n")
        .bind("n", name).map((rs, ctx) -> new Host(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6))).findOne());
  }
}

package io.rdsflow.activities.local;

import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.ServerBinaries;
import io.rdsflow.workflows.domain.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server process of one node, configured from the instance's parameters and the node's role:
 * binlog and GTID domain for dual-master replication, interleaved auto-increments, and read_only
 * once the standby has been made a guard ({@code do_set_server_readonly_for_guard_ins}).
 */
public final class NodeServer {
  /** Marker file: this directory belongs to that instance (its content is the instance id). */
  public static final String OWNER_MARKER = ".rdsflow-instance";
  /** Marker file: the node is a read-only guard. */
  public static final String GUARD_MARKER = ".rdsflow-guard";

  private NodeServer() {}

  public static MysqldServer of(HostContext host, String instanceId, Role role, int port, boolean masterSlave,
      Map<String, String> params) {
    ServerBinaries bin = host.server();
    Path home = host.nodeHome(instanceId, role);
    boolean master = role == Role.MASTER;
    Map<String, String> s = new LinkedHashMap<>();
    s.put("server_id", Long.toString(port * 10L + (master ? 1 : 2)));
    s.put("log_bin", home.resolve("binlog/mysql-bin").toString());
    s.put("relay_log", home.resolve("relay/relay-bin").toString());
    s.put("binlog_format", "ROW");
    s.put("log_slave_updates", "ON");
    s.put("slow_query_log_file", home.resolve("log/slow.log").toString());
    if (bin.flavor() == ServerBinaries.Flavor.MARIADB) {
      s.put("gtid_domain_id", master ? "1" : "2");
      if (bin.atLeast(11, 0)) {
        s.put("skip-ssl", "");
      }
    } else {
      s.put("gtid_mode", "ON");
      s.put("enforce_gtid_consistency", "ON");
    }
    if (masterSlave) {
      s.put("auto_increment_increment", "2");
      s.put("auto_increment_offset", master ? "1" : "2");
    }
    params.forEach((k, v) -> s.put(k.equals("time_zone") ? "default-time-zone" : k, v));
    if (Files.exists(home.resolve(GUARD_MARKER))) {
      s.put("read_only", "ON");
    }
    return new MysqldServer(bin, home, port, host.bindAddress(), s);
  }
}

package io.rdsflow.activities.steps;

import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.NodeRoles;
import io.rdsflow.activities.meta.ProxyDao;
import io.rdsflow.activities.proxy.InstanceProxy;
import io.rdsflow.workflows.domain.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * The proxy of an instance as this host runs it: pointed at the nodes serving as master and slave now
 * (per {@link NodeRoles}), and checked by logging in through it as the check account (which may only
 * log in) and reading {@code @@port}.
 */
final class ProxyControl {
  static final String CHECK_USER = InstanceProxy.DEFAULT_CHECK_USER;
  private static final Duration LANDING_TIMEOUT = Duration.ofSeconds(30);

  private final NodeAccess access;
  private final ProxyDao proxies;
  private final NodeRoles roles;

  ProxyControl(NodeAccess access, ProxyDao proxies, NodeRoles roles) {
    this.access = access;
    this.proxies = proxies;
    this.roles = roles;
  }

  /** The instance's proxy on this host; empty when the instance has none. */
  Optional<InstanceProxy> proxy(String instanceId) {
    return proxies.find(instanceId).map(p -> {
      if (!p.host().equals(access.host.name())) {
        throw new StepFailure("the proxy of " + instanceId + " lives on " + p.host() + ", not on " + access.host.name());
      }
      return new InstanceProxy(home(instanceId), access.host.bindAddress(), p.writerPort(), p.readerPort(), CHECK_USER);
    });
  }

  Path home(String instanceId) {
    return access.host.baseDir().resolve(instanceId).resolve("proxy");
  }

  /**
   * Points the writer at the node serving as master and, when {@code withReader} and the pair is whole,
   * the reader at the slave (else the reader leads to the master too). Returns what it set up.
   */
  String apply(InstanceProxy proxy, String instanceId, boolean withReader) throws IOException {
    Role writer = roles.writer(instanceId);
    NodeDao.Node master = access.nodes.node(instanceId, writer);
    NodeDao.Node slave = !withReader || !access.instances.get(instanceId).masterSlave()
        || roles.needsRebuild(instanceId, other(writer)) ? null : access.nodes.node(instanceId, other(writer));
    proxy.apply(backend(master), slave == null ? null : backend(slave));
    return "writer :" + proxy.writerPort() + " -> " + describe(master) + ", reader :" + proxy.readerPort() + " -> "
        + describe(slave == null ? master : slave);
  }

  /** Waits until a login through the writer (or reader) port lands on the node's port. */
  String awaitLanding(InstanceProxy proxy, boolean writer, NodeDao.Node node) throws Exception {
    int port = writer ? proxy.writerPort() : proxy.readerPort();
    long deadline = System.nanoTime() + LANDING_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        int landed = landedPort(connectHost(proxy), port);
        if (landed == node.port()) {
          return (writer ? "writer" : "reader") + " :" + port + " lands on " + describe(node);
        }
        last = "landed on port " + landed;
      } catch (SQLException e) {
        last = e.getMessage();
      }
      StepRunner.heartbeat("waiting for :" + port);
      Thread.sleep(200);
    }
    throw new StepFailure("a login through :" + port + " does not land on " + describe(node) + " within "
        + LANDING_TIMEOUT.toSeconds() + " s (" + last + ")");
  }

  /** The node serving as master now. */
  NodeDao.Node writerNode(String instanceId) {
    return access.nodes.node(instanceId, roles.writer(instanceId));
  }

  NodeDao.Node readerNode(String instanceId) {
    return access.nodes.node(instanceId, other(roles.writer(instanceId)));
  }

  private InstanceProxy.Backend backend(NodeDao.Node n) {
    return new InstanceProxy.Backend(n.role().wire(), access.address(n), n.port());
  }

  private String describe(NodeDao.Node n) {
    return "node " + n.role() + " at " + access.address(n) + ":" + n.port();
  }

  private static Role other(Role r) {
    return r == Role.MASTER ? Role.SLAVE : Role.MASTER;
  }

  private static String connectHost(InstanceProxy p) {
    String b = p.bindAddress();
    return b.equals("0.0.0.0") || b.equals("::") || b.equals("*") ? "127.0.0.1" : b;
  }

  private static int landedPort(String host, int port) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port
            + "/?connectTimeout=2000&socketTimeout=3000&sslMode=disable", CHECK_USER, "");
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@port")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}

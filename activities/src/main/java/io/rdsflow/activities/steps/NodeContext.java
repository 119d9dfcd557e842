package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.NodeServer;
import io.rdsflow.activities.local.NodeSql;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.workflows.domain.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one invocation of a host step acts on, read once by {@link NodeAccess#load}: the instance row,
 * its nodes, its parameters; the root password and account passwords are read and decrypted on first
 * use, once. A step's helpers take this instead of reading the metadata again.
 */
final class NodeContext {
  private final NodeAccess access;
  final InstanceDao.Instance instance;
  final Role role;
  private final List<NodeDao.Node> nodes;
  final Map<String, String> params;
  private String rootPassword;
  private final Map<String, Optional<RequestDao.Account>> accounts = new HashMap<>();
  private final Map<String, String> accountPasswords = new HashMap<>();

  NodeContext(NodeAccess access, InstanceDao.Instance instance, Role role, List<NodeDao.Node> nodes, Map<String, String> params) {
    this.access = access;
    this.instance = instance;
    this.role = role;
    this.nodes = nodes;
    this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  String instanceId() {
    return instance.id();
  }

  /** The node of the step's role. */
  NodeDao.Node node() {
    return node(role);
  }

  /** The other node of a master-slave pair. */
  NodeDao.Node peer() {
    return node(role == Role.MASTER ? Role.SLAVE : Role.MASTER);
  }

  private NodeDao.Node node(Role r) {
    return nodes.stream().filter(n -> n.role() == r).findFirst()
        .orElseThrow(() -> new IllegalStateException("instance " + instance.id() + " has no " + r + " node"));
  }

  /**
   * The node's server, configured from the parameters read with this context. Built anew on every call:
   * it reads the node's guard marker, which a step may have just written.
   */
  MysqldServer server() {
    NodeDao.Node node = node();
    if (!node.host().equals(access.host.name())) {
      throw new StepFailure("node " + role + " of " + instance.id() + " lives on " + node.host() + ", not on " + access.host.name());
    }
    return NodeServer.of(access.host, instance.id(), role, node.port(), instance.masterSlave(), params);
  }

  /** The same node with other parameters (a step that has just replaced them). */
  NodeContext withParams(Map<String, String> replaced) {
    NodeContext c = new NodeContext(access, instance, role, nodes, replaced);
    c.rootPassword = rootPassword;
    c.accounts.putAll(accounts);
    c.accountPasswords.putAll(accountPasswords);
    return c;
  }

  /** The request as CreateInstance stored it. */
  CreateRequest request() {
    return Json.read(instance.requestJson(), CreateRequest.class);
  }

  String rootPassword() {
    if (rootPassword == null) {
      rootPassword = access.cipher.decrypt(access.instances.rootPassword(instance.id())
          .orElseThrow(() -> new StepFailure("no root password stored for " + instance.id())));
    }
    return rootPassword;
  }

  Connection root() throws SQLException {
    return NodeSql.root(server(), rootPassword());
  }

  /** A stored account of the instance (user or system). */
  Optional<RequestDao.Account> account(String name) {
    return accounts.computeIfAbsent(name, n -> access.requests.account(instance.id(), n));
  }

  String accountPassword(String name) {
    String password = accountPasswords.get(name);
    if (password == null) {
      password = access.cipher.decrypt(account(name)
          .orElseThrow(() -> new StepFailure("account " + name + " is missing from the metadata")).encryptedPassword());
      accountPasswords.put(name, password);
    }
    return password;
  }
}

package io.rdsflow.activities.steps;

import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.local.HostContext;
import io.rdsflow.activities.local.NodeServer;
import io.rdsflow.activities.local.NodeSql;
import io.rdsflow.activities.meta.HostDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.workflows.domain.Role;
import java.sql.Connection;
import java.sql.SQLException;

/** What a host step needs to act on one node: its server, its peer, root and account passwords. */
public final class NodeAccess {
  final HostContext host;
  final InstanceDao instances;
  final NodeDao nodes;
  final HostDao hosts;
  final RequestDao requests;
  final SecretCipher cipher;

  public NodeAccess(HostContext host, InstanceDao instances, NodeDao nodes, HostDao hosts, RequestDao requests, SecretCipher cipher) {
    this.host = host;
    this.instances = instances;
    this.nodes = nodes;
    this.hosts = hosts;
    this.requests = requests;
    this.cipher = cipher;
  }

  MysqldServer server(String instanceId, Role role) {
    InstanceDao.Instance ins = instances.get(instanceId);
    NodeDao.Node node = nodes.node(instanceId, role);
    if (!node.host().equals(host.name())) {
      throw new StepFailure("node " + role + " of " + instanceId + " lives on " + node.host() + ", not on " + host.name());
    }
    return NodeServer.of(host, instanceId, role, node.port(), ins.masterSlave(), requests.params(instanceId));
  }

  String rootPassword(String instanceId) {
    return cipher.decrypt(instances.rootPassword(instanceId)
        .orElseThrow(() -> new StepFailure("no root password stored for " + instanceId)));
  }

  String accountPassword(String instanceId, String account) {
    return cipher.decrypt(requests.account(instanceId, account)
        .orElseThrow(() -> new StepFailure("account " + account + " is missing from the metadata")).encryptedPassword());
  }

  Connection root(String instanceId, Role role) throws SQLException {
    return NodeSql.root(server(instanceId, role), rootPassword(instanceId));
  }

  /** The other node of a master-slave pair, with the address its host is reached at. */
  NodeDao.Node peer(String instanceId, Role role) {
    return nodes.node(instanceId, role == Role.MASTER ? Role.SLAVE : Role.MASTER);
  }

  String address(NodeDao.Node node) {
    return hosts.find(node.host()).map(HostDao.Host::address).orElse(node.host());
  }
}

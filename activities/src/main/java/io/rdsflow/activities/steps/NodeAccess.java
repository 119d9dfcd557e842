package io.rdsflow.activities.steps;

import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.local.HostContext;
import io.rdsflow.activities.meta.HostDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.workflows.steps.StepInput;

/** The host steps' way to the metadata: {@link #load} reads what one step invocation acts on, once. */
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

  /** The instance row, its nodes and parameters for the node of {@code in.role()}; passwords follow on first use. */
  NodeContext load(StepInput in) {
    return new NodeContext(this, instances.get(in.instanceId()), in.role(), nodes.nodes(in.instanceId()),
        requests.params(in.instanceId()));
  }

  /** The address a node's host is reached at. */
  String address(NodeDao.Node node) {
    return hosts.find(node.host()).map(HostDao.Host::address).orElse(node.host());
  }
}

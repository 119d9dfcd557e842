package io.rdsflow.activities.steps;

import io.rdsflow.mysqld.FileTrees;
import io.rdsflow.activities.local.HostContext;
import io.rdsflow.activities.local.InstanceConfFile;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.ProxyDao;
import io.rdsflow.activities.proxy.InstanceProxy;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.workflows.activities.HostCleanup;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Removes a node from this host: the server process (found through its pid file, so a process of
 * another instance is never touched), its directory and its instance.conf line. Used by
 * compensation and by delete; a node already gone is fine.
 */
public final class HostCleanupImpl implements HostCleanup {
  private static final Logger LOG = LoggerFactory.getLogger(HostCleanupImpl.class);

  private final HostContext host;
  private final NodeDao nodes;
  private final ProxyDao proxies;

  public HostCleanupImpl(HostContext host, NodeDao nodes, ProxyDao proxies) {
    this.host = host;
    this.nodes = nodes;
    this.proxies = proxies;
  }

  @Override
  public StepResult removeNode(String instanceId, String roleName) {
    Role role = Role.of(roleName);
    MDC.put("instanceId", instanceId);
    try (KeepAlive alive = KeepAlive.start()) {
      Path home = host.nodeHome(instanceId, role);
      Optional<NodeDao.Node> node = nodes.nodes(instanceId).stream().filter(n -> n.role() == role).findFirst();
      List<String> done = new ArrayList<>();
      if (Files.exists(home) && !HostDirectoryStepsImpl.ownedBy(home, instanceId) && Files.exists(home.resolve("my.cnf"))) {
        throw new StepFailure("refusing to remove " + home + ": it is not " + instanceId + "'s"); // not retried
      }
      if (Files.exists(home)) {
        int port = node.map(NodeDao.Node::port).orElse(0);
        MysqldServer server = new MysqldServer(host.server(), home, Math.max(port, 1), host.bindAddress(), java.util.Map.of());
        Optional<Long> pid = server.runningPid();
        if (pid.isPresent()) {
          StepRunner.heartbeat("stopping pid " + pid.get());
          server.stop(Duration.ofMinutes(1));
          done.add("stopped pid " + pid.get());
        }
        FileTrees.delete(home);
        done.add("removed " + home);
      }
      stopProxy(instanceId).ifPresent(done::add);
      if (node.isPresent() && InstanceConfFile.remove(host.baseDir().resolve("instance.conf"), node.get().port())) {
        done.add("removed port " + node.get().port() + " from instance.conf");
      }
      Path instanceDir = home.getParent();
      if (Files.isDirectory(instanceDir)) {
        try (var children = Files.list(instanceDir)) {
          if (children.findAny().isEmpty()) {
            Files.delete(instanceDir);
          }
        }
      }
      String message = done.isEmpty() ? "nothing left of " + role : String.join("; ", done);
      LOG.info("[{}] removed {} node on {}: {}", instanceId, role, host.name(), message);
      return StepResult.of(message);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot remove the " + role + " node of " + instanceId + ": " + e.getMessage(), e);
    } finally {
      MDC.remove("instanceId");
    }
  }

  /** The instance's proxy, when it lives on this host: stopped and its directory removed. */
  private Optional<String> stopProxy(String instanceId) throws java.io.IOException {
    Optional<ProxyDao.Proxy> p = proxies.find(instanceId).filter(x -> x.host().equals(host.name()));
    Path home = host.baseDir().resolve(instanceId).resolve("proxy");
    if (p.isEmpty() && !Files.exists(home)) {
      return Optional.empty();
    }
    if (p.isPresent()) {
      new InstanceProxy(home, host.bindAddress(), p.get().writerPort(), p.get().readerPort(), InstanceProxy.DEFAULT_CHECK_USER).stop();
    }
    FileTrees.delete(home);
    return Optional.of("proxy stopped and " + home + " removed");
  }
}

package io.rdsflow.activities.steps;

import static io.rdsflow.activities.steps.HostSql.exec;

import io.rdsflow.activities.meta.HostDao;
import io.rdsflow.activities.proxy.InstanceProxy;
import io.rdsflow.mysqld.Sql;
import io.rdsflow.workflows.activities.HostProxySteps;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.sql.Connection;

/** The seed's maxscale steps: the instance's HAProxy on the master's host (see {@link ProxyControl}). */
public final class HostProxyStepsImpl implements HostProxySteps {
  private final StepRunner runner;
  private final NodeAccess access;
  private final ProxyControl proxies;

  public HostProxyStepsImpl(StepRunner runner, NodeAccess access, io.rdsflow.activities.meta.ProxyDao proxyDao,
      io.rdsflow.activities.meta.NodeRoles roles) {
    this.runner = runner;
    this.access = access;
    this.proxies = new ProxyControl(access, proxyDao, roles);
  }

  @Override
  public StepResult doWaitForCreatingMaxscaleTaskFinish(StepInput in) { // do_wait_for_creating_maxscale_task_finish
    return runner.run(in, () -> {
      HostDao.Host h = access.hosts.find(access.host.name())
          .orElseThrow(() -> new StepFailure("host " + access.host.name() + " is not registered"));
      int writer = access.nodes.allocatePort(in.instanceId(), Role.WRITER, h.name(), h.portFrom(), h.portTo());
      int reader = access.nodes.allocatePort(in.instanceId(), Role.READER, h.name(), h.portFrom(), h.portTo());
      NodeContext n = access.load(in);
      String from = checkAccountHost(h.address());
      try (Connection c = n.root()) {
        // may only log in (no password, no privilege): HAProxy's mysql-check cannot send a password
        exec(c, "CREATE USER IF NOT EXISTS " + Sql.account(ProxyControl.CHECK_USER, from));
      }
      InstanceProxy proxy = proxies.proxy(in.instanceId()).orElseThrow();
      return StepResult.of("proxy started on :" + writer + " (writer) and :" + reader + " (reader); "
          + proxies.apply(proxy, in.instanceId(), false));
    });
  }

  @Override
  public StepResult doRefreshMaxscaleLinkTopology(StepInput in) { // do_refresh_maxscale_link_topology
    return runner.run(in, () -> StepResult.of(proxies.apply(existing(in), in.instanceId(), false)));
  }

  @Override
  public StepResult doWaitForRefreshingMaxscaleTaskFinish(StepInput in) { // do_wait_for_refreshing_maxscale_task_finish
    return runner.run(in, () -> StepResult.of(proxies.awaitLanding(existing(in), true, proxies.writerNode(in.instanceId()))));
  }

  @Override
  public StepResult doAddReadinsToMaxscaleConfig(StepInput in) { // do_add_readins_to_maxscale_config
    return runner.run(in, () -> {
      InstanceProxy proxy = existing(in);
      proxies.apply(proxy, in.instanceId(), true);
      return StepResult.of(proxies.awaitLanding(proxy, false, proxies.readerNode(in.instanceId())));
    });
  }

  private InstanceProxy existing(StepInput in) {
    return proxies.proxy(in.instanceId())
        .orElseThrow(() -> new StepFailure("instance " + in.instanceId() + " has no proxy ports allocated"));
  }

  /** The host part of the check account: the proxy host's IP address, or any host when it is known by name only. */
  static String checkAccountHost(String address) {
    return address.matches("[0-9.]+|[0-9a-fA-F:]+") ? address : "%";
  }
}

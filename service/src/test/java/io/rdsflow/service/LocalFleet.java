package io.rdsflow.service;

import com.codahale.metrics.MetricRegistry;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.temporal.Agent;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server (host h0) and agents of further hosts on this machine, sharing the server's embedded
 * Temporal and the test database. Every server process started under {@code root} is stopped on close.
 */
final class LocalFleet implements AutoCloseable {
  final Path root;
  final Map<String, String> config;
  final TestApp app;
  private final List<Agent> agents = new ArrayList<>();

  LocalFleet(Path root, String schema, String serverPortRange) throws Exception {
    this.root = root;
    config = TestApp.config(root.resolve("server"), schema);
    config.put("localEngine.hostName", "h0");
    config.put("localEngine.baseDir", root.resolve("h0").toString());
    config.put("localEngine.portRange", serverPortRange);
    app = TestApp.start(config);
  }

  RdsflowConfiguration agentConfig(String host, String portRange) {
    RdsflowConfiguration c = new RdsflowConfiguration();
    c.dataDir = root.resolve("agent-" + host).toString();
    c.temporal.target = app.application().parts().temporal().target();
    c.database.url = config.get("database.url");
    c.database.user = config.get("database.user");
    c.database.password = config.get("database.password");
    c.security.encryptionPassword = TestApp.ENCRYPTION_PASSWORD;
    c.localEngine.hostName = host;
    c.localEngine.baseDir = root.resolve(host).toString();
    c.localEngine.portRange = portRange;
    return c;
  }

  Agent startAgent(String host, String portRange) throws Exception {
    Agent a = Agent.start(agentConfig(host, portRange), new MetricRegistry());
    agents.add(a);
    return a;
  }

  void stopAgent(Agent a) {
    a.close();
    agents.remove(a);
  }

  @Override
  public void close() {
    agents.forEach(Agent::close);
    app.close();
    TestProcesses.stopAllUnder(root);
  }
}

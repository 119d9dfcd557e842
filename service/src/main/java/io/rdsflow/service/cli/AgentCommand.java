package io.rdsflow.service.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.temporal.Agent;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code agent [config.yml]}: workers only, for a database host of the local engine. It polls
 * {@code host.<localEngine.hostName>} and needs the shared Temporal ({@code temporal.target}) and
 * metadata database ({@code database.url}) of the servers.
 */
public final class AgentCommand extends ConfiguredCommand<RdsflowConfiguration> {
  public AgentCommand() {
    super("agent", "Run the host workers of the local engine on this database host");
  }

  @Override
  protected void run(Bootstrap<RdsflowConfiguration> bootstrap, Namespace namespace, RdsflowConfiguration config)
      throws Exception {
    Agent agent = Agent.start(config, bootstrap.getMetricRegistry());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }));
    System.out.println("rdsflow agent of host " + agent.hostName() + " polling " + agent.taskQueue());
    stopped.await();
  }
}

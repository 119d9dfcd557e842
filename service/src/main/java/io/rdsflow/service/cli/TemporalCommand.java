package io.rdsflow.service.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.temporal.EmbeddedTemporal;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code temporal [config.yml]}: only the embedded Temporal service on {@code temporal.embeddedPort},
 * for several rdsflow processes on one machine that share it (set their {@code temporal.target}).
 */
public final class TemporalCommand extends ConfiguredCommand<RdsflowConfiguration> {
  public TemporalCommand() {
    super("temporal", "Run only the embedded Temporal service (in memory) on 127.0.0.1");
  }

  @Override
  protected void run(Bootstrap<RdsflowConfiguration> bootstrap, Namespace namespace, RdsflowConfiguration config)
      throws Exception {
    EmbeddedTemporal temporal = EmbeddedTemporal.start(config.temporal.embeddedPort);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      temporal.close();
      stopped.countDown();
    }));
    System.out.println("Embedded Temporal listening on " + temporal.target() + " (state in memory); Ctrl-C stops it");
    stopped.await();
  }
}

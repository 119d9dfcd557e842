package io.rdsflow.service.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.db.MetadataDatabase;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code db migrate [config.yml]}: applies the Flyway migrations to the metadata database and exits. */
public final class DbCommand extends ConfiguredCommand<RdsflowConfiguration> {
  public DbCommand() {
    super("db", "Metadata database tasks: 'db migrate' applies the migrations");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("migrate").help("what to do");
    super.configure(subparser);
  }

  @Override
  protected void run(Bootstrap<RdsflowConfiguration> bootstrap, Namespace namespace, RdsflowConfiguration config) {
    MetadataDatabase db = MetadataDatabase.open(config, null);
    try {
      System.out.println("Applied " + db.migrate() + " migration(s)");
    } finally {
      db.stop();
    }
  }
}

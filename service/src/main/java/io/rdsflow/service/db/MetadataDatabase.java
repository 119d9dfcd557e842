package io.rdsflow.service.db;

import com.codahale.metrics.MetricRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.lifecycle.Managed;
import io.rdsflow.mysqld.BinaryLocator;
import io.rdsflow.mysqld.PrivateDatabaseServer;
import io.rdsflow.service.config.RdsflowConfiguration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata database: an external MySQL/MariaDB ({@code database.url}) or the embedded private
 * server under {@code <dataDir>/metadb}, behind one connection pool and one {@link Jdbi}.
 */
public final class MetadataDatabase implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataDatabase.class);
  public static final String EMBEDDED_SCHEMA = "rdsflow";

  private final PrivateDatabaseServer embedded;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private MetadataDatabase(PrivateDatabaseServer embedded, HikariDataSource dataSource) {
    this.embedded = embedded;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
  }

  /** Starts the embedded server if needed and opens the pool; throws with what to install or set. */
  public static MetadataDatabase open(RdsflowConfiguration config, MetricRegistry metrics) {
    PrivateDatabaseServer embedded = null;
    String url = config.database.url;
    String user = config.database.user;
    String password = config.database.password;
    try {
      if (config.database.embedded()) {
        Path dataDir = config.dataPath();
        BinaryLocator locator = new BinaryLocator(config.localEngineBinDir(), dataDir.resolve("dist"));
        embedded = PrivateDatabaseServer.start(locator.locate(), dataDir.resolve("metadb"), config.database.embeddedPort);
        embedded.createDatabase(EMBEDDED_SCHEMA);
        url = embedded.jdbcUrl(EMBEDDED_SCHEMA);
        user = embedded.user();
        password = embedded.password();
      }
      HikariConfig hc = new HikariConfig();
      hc.setPoolName("metadb");
      hc.setJdbcUrl(url);
      hc.setUsername(user);
      hc.setPassword(password);
      hc.setMaximumPoolSize(config.database.maxPoolSize);
      hc.setMinimumIdle(2);
      hc.setConnectionTimeout(10_000);
      hc.setInitializationFailTimeout(15_000);
      if (metrics != null) {
        hc.setMetricRegistry(metrics);
      }
      HikariDataSource ds = new HikariDataSource(hc);
      LOG.info("Metadata database: {}", embedded != null ? "embedded at " + url : url);
      return new MetadataDatabase(embedded, ds);
    } catch (Exception e) {
      if (embedded != null) {
        embedded.close();
      }
      String where = config.database.embedded()
          ? "the embedded metadata database under " + config.dataPath().resolve("metadb")
              + " (install mariadb-server, set localEngine.binDir, or set database.url to an existing MySQL/MariaDB)"
          : "database.url=" + config.database.url + " (check database.url, database.user and database.password)";
      throw new IllegalStateException("Cannot open " + where + ": " + rootMessage(e), e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  public int migrate() {
    return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate().migrationsExecuted;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  /** Checks a connection; for the health check. */
  public void ping() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (!c.isValid(3)) {
        throw new SQLException("connection is not valid");
      }
    }
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    dataSource.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}

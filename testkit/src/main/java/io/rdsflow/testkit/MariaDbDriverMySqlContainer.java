package io.rdsflow.testkit;

import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/** MySQL 8 in a container, reached with the MariaDB driver the project ships (no MySQL connector). */
final class MariaDbDriverMySqlContainer extends MySQLContainer<MariaDbDriverMySqlContainer> {
  MariaDbDriverMySqlContainer() {
    super(DockerImageName.parse("mysql:8.0"));
  }

  @Override
  public String getDriverClassName() {
    return "org.mariadb.jdbc.Driver";
  }

  @Override
  public String getJdbcUrl() {
    return serverUrl() + getDatabaseName();
  }

  String serverUrl() {
    return "jdbc:mariadb://" + getHost() + ":" + getMappedPort(MYSQL_PORT) + "/";
  }
}

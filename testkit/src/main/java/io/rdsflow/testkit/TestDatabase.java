package io.rdsflow.testkit;

import io.rdsflow.mysqld.FileTrees;
import io.rdsflow.mysqld.BinaryLocator;
import io.rdsflow.mysqld.PrivateDatabaseServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The database the tests use, chosen once per JVM: Testcontainers MySQL when a Docker engine
 * answers; else {@code RDSFLOW_TEST_JDBC_URL} (a server URL without a database, e.g.
 * {@code jdbc:mariadb://127.0.0.1:3306/}, with {@code RDSFLOW_TEST_JDBC_USER} and
 * {@code RDSFLOW_TEST_JDBC_PASSWORD}); else a private server started from the machine's binaries by
 * the same code as the service's embedded metadata database. Each test class asks for its own schema.
 */
public final class TestDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(TestDatabase.class);
  private static TestDatabase instance;

  private final String baseUrl;
  private final String query;
  private final String user;
  private final String password;
  private final String kind;

  private TestDatabase(String serverUrl, String user, String password, String kind) {
    int q = serverUrl.indexOf('?');
    String base = q < 0 ? serverUrl : serverUrl.substring(0, q);
    this.baseUrl = base.endsWith("/") ? base : base + "/";
    this.query = q < 0 ? "" : serverUrl.substring(q);
    this.user = user;
    this.password = password;
    this.kind = kind;
  }

  public static synchronized TestDatabase get() {
    if (instance == null) {
      instance = create();
      LOG.info("Test database: {} at {}", instance.kind, instance.baseUrl);
    }
    return instance;
  }

  /**
   * The MariaDB/MySQL server outside any test JVM that the machine runs: {@code RDSFLOW_TEST_JDBC_URL}
   * (with {@code RDSFLOW_TEST_JDBC_USER}/{@code _PASSWORD}), else root without a password on 127.0.0.1:3306;
   * for tests that deploy the service as users do, against a server of its own.
   */
  public static TestDatabase external() {
    String url = env("RDSFLOW_TEST_JDBC_URL", "");
    return new TestDatabase(url.isBlank() ? "jdbc:mariadb://127.0.0.1:3306/" : url, env("RDSFLOW_TEST_JDBC_USER", "root"),
        env("RDSFLOW_TEST_JDBC_PASSWORD", ""), "external server");
  }

  private static TestDatabase create() {
    if (dockerAnswers()) {
      MariaDbDriverMySqlContainer mysql = new MariaDbDriverMySqlContainer();
      mysql.start();
      Runtime.getRuntime().addShutdownHook(new Thread(mysql::stop));
      return new TestDatabase(mysql.serverUrl(), "root", mysql.getPassword(), "Testcontainers MySQL");
    }
    String url = System.getenv("RDSFLOW_TEST_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return new TestDatabase(url, env("RDSFLOW_TEST_JDBC_USER", "root"), env("RDSFLOW_TEST_JDBC_PASSWORD", ""),
          "RDSFLOW_TEST_JDBC_URL");
    }
    try {
      Path home = Files.createTempDirectory("rdsflow-testdb-");
      BinaryLocator locator = new BinaryLocator(null, Path.of(System.getProperty("user.home"), ".cache", "rdsflow"));
      PrivateDatabaseServer server = PrivateDatabaseServer.start(locator.locate(), home, 0);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        deleteTree(home);
      }));
      return new TestDatabase(server.jdbcUrl(""), server.user(), server.password(), "private server in " + home);
    } catch (IOException e) {
      throw new IllegalStateException("no test database: no Docker, no RDSFLOW_TEST_JDBC_URL, and no private server: "
          + e.getMessage(), e);
    }
  }

  private static boolean dockerAnswers() {
    if ("false".equalsIgnoreCase(System.getenv("RDSFLOW_TEST_DOCKER"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Creates a fresh, empty schema and returns its JDBC URL. */
  public String newSchema(String prefix) {
    String name = (prefix.replaceAll("[^A-Za-z0-9]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
    if (name.length() > 60) {
      name = name.substring(name.length() - 60);
    }
    try (Connection c = DriverManager.getConnection(baseUrl + query, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test schema " + name + ": " + e.getMessage(), e);
    }
    return baseUrl + name + query;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }

  public static void deleteTree(Path root) {
    try {
      FileTrees.delete(root);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", root, e.getMessage());
    }
  }

}

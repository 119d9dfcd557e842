package io.rdsflow.activities.collect;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The MariaDB the source tests read, as testkit's {@code TestDatabase} finds an external one (activities
 * cannot depend on testkit, which depends on it): {@code RDSFLOW_TEST_JDBC_URL} (a server URL) with
 * {@code RDSFLOW_TEST_JDBC_USER}/{@code _PASSWORD}, else root with no password on 127.0.0.1:3306. The
 * tests' accounts are their own ({@code rdsflow_src_<random>}) and dropped by {@link #close()}.
 */
final class TestServer implements AutoCloseable {
  static final String DATABASE = "test";

  private final String url;
  private final String host;
  private final int port;
  private final List<String> users = new ArrayList<>();
  private final List<Connection> opened = new ArrayList<>();

  TestServer() throws SQLException {
    String env = System.getenv("RDSFLOW_TEST_JDBC_URL");
    String server = env == null || env.isBlank() ? "jdbc:mariadb://127.0.0.1:3306/" : env;
    int query = server.indexOf('?');
    String base = query < 0 ? server : server.substring(0, query);
    base = base.substring(0, base.indexOf('/', "jdbc:mariadb://".length()) + 1);
    this.url = base + DATABASE + "?sslMode=disable";
    String address = base.substring("jdbc:mariadb://".length(), base.length() - 1);
    int colon = address.lastIndexOf(':');
    this.host = colon < 0 ? address : address.substring(0, colon);
    this.port = colon < 0 ? 3306 : Integer.parseInt(address.substring(colon + 1));
    try (Connection c = DriverManager.getConnection(base + "?sslMode=disable", env("RDSFLOW_TEST_JDBC_USER", "root"),
        env("RDSFLOW_TEST_JDBC_PASSWORD", "")); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** A connection of the administrative account, closed by {@link #close()}. */
  Connection root() throws SQLException {
    return open(env("RDSFLOW_TEST_JDBC_USER", "root"), env("RDSFLOW_TEST_JDBC_PASSWORD", ""));
  }

  /** A new account with SELECT on {@link #DATABASE} and {@code grants} (each {@code "<privileges> ON <what>"}); dropped by {@link #close()}. */
  String user(String... grants) throws SQLException {
    String user = "rdsflow_src_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = root(); Statement s = c.createStatement()) {
      s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + user + "'");
      users.add(user);
      s.execute("GRANT SELECT ON " + DATABASE + ".* TO '" + user + "'@'%'"); // to open sessions in it
      for (String g : grants) {
        s.execute("GRANT " + g + " TO '" + user + "'@'%'");
      }
    }
    return user;
  }

  /** A session of {@code user} (password: its name) in {@link #DATABASE}, closed by {@link #close()}. */
  Connection as(String user) throws SQLException {
    return open(user, user);
  }

  private Connection open(String user, String password) throws SQLException {
    Connection c = DriverManager.getConnection(url, user, password);
    opened.add(c);
    return c;
  }

  /** The sample of {@code metric} with exactly {@code labels}, or null. */
  static Sample find(List<Sample> samples, String metric, Map<String, String> labels) {
    return samples.stream().filter(s -> s.metric().equals(metric) && s.labels().equals(labels)).findFirst().orElse(null);
  }

  @Override
  public void close() throws SQLException {
    for (Connection c : opened) {
      c.close();
    }
    if (!users.isEmpty()) {
      try (Connection c = DriverManager.getConnection(url, env("RDSFLOW_TEST_JDBC_USER", "root"),
          env("RDSFLOW_TEST_JDBC_PASSWORD", "")); Statement s = c.createStatement()) {
        for (String u : users) {
          s.execute("DROP USER IF EXISTS '" + u + "'@'%'");
        }
      }
    }
  }
}

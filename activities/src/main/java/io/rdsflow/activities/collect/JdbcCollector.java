package io.rdsflow.activities.collect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rdsflow.activities.local.Replication;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects a MariaDB/MySQL server over JDBC: sessions from the process list (its own connection
 * excluded), global status counters, replication health on replicas, and custom SQL metrics. Each
 * target has a small pool of its own with connect and query timeouts.
 */
public final class JdbcCollector implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcCollector.class);
  static final String PROCESSLIST = "SELECT USER, HOST, DB, COMMAND, TIME FROM information_schema.PROCESSLIST "
      + "WHERE ID <> CONNECTION_ID()";
  static final String STATUS = "SHOW GLOBAL STATUS WHERE Variable_name IN "
      + "('Threads_connected', 'Threads_running', 'Questions', 'Slow_queries')";

  private final int connectTimeoutMs;
  private final int queryTimeoutSeconds;
  private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

  public JdbcCollector(int connectTimeoutMs, int queryTimeoutSeconds) {
    this.connectTimeoutMs = connectTimeoutMs;
    this.queryTimeoutSeconds = queryTimeoutSeconds;
  }

  public List<Sample> collect(Target t, String password, List<CustomMetric> custom) throws SQLException {
    List<Sample> out = new ArrayList<>();
    try (Connection c = pool(t, password).getConnection()) {
      out.addAll(sessions(c));
      out.addAll(status(c));
      out.addAll(replication(c));
      for (CustomMetric m : custom) {
        try {
          out.addAll(CustomMetricRunner.run(c, m, queryTimeoutSeconds));
        } catch (SQLException e) {
          LOG.warn("[{}] {}", t.instanceId(), e.getMessage());
          out.add(new Sample("custom_errors", Map.of("metric", m.name()), 1, false));
        }
      }
    }
    return out;
  }

  List<Sample> sessions(Connection c) throws SQLException {
    List<SessionStats.Session> sessions = new ArrayList<>();
    try (Statement s = statement(c); ResultSet rs = s.executeQuery(PROCESSLIST)) {
      while (rs.next()) {
        sessions.add(new SessionStats.Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
      }
    }
    return SessionStats.of(sessions);
  }

  List<Sample> status(Connection c) throws SQLException {
    List<Sample> out = new ArrayList<>();
    try (Statement s = statement(c); ResultSet rs = s.executeQuery(STATUS)) {
      while (rs.next()) {
        double v = rs.getDouble(2);
        switch (rs.getString(1)) {
          case "Threads_connected" -> out.add(Sample.gauge("threads_connected", v));
          case "Threads_running" -> out.add(Sample.gauge("threads_running", v));
          case "Questions" -> out.add(Sample.counter("questions", v));
          case "Slow_queries" -> out.add(Sample.counter("slow_queries", v));
          default -> { }
        }
      }
    }
    return out;
  }

  List<Sample> replication(Connection c) throws SQLException {
    java.util.Optional<Replication.Status> status;
    try {
      status = Replication.status(c);
    } catch (SQLException e) {
      if (e.getErrorCode() == 1227) {
        return List.of(); // the account may not read replication status (needs SLAVE MONITOR / REPLICATION CLIENT)
      }
      throw e;
    }
    if (status.isEmpty()) {
      return List.of();
    }
    List<Sample> out = new ArrayList<>();
    out.add(Sample.gauge("replication_running", "thread", "io", status.get().ioRunning() ? 1 : 0));
    out.add(Sample.gauge("replication_running", "thread", "sql", status.get().sqlRunning() ? 1 : 0));
    if (status.get().lagSeconds() != null) {
      out.add(Sample.gauge("replication_lag_seconds", status.get().lagSeconds()));
    }
    return out;
  }

  private Statement statement(Connection c) throws SQLException {
    Statement s = c.createStatement();
    s.setQueryTimeout(queryTimeoutSeconds);
    return s;
  }

  private HikariDataSource pool(Target t, String password) {
    String key = t.group() + "/" + t.id() + "|" + t.host() + ":" + t.port() + "|" + t.user() + "|" + Integer.toHexString(t.encryptedPassword().hashCode());
    return pools.computeIfAbsent(key, k -> {
      pools.keySet().removeIf(other -> other.startsWith(t.group() + "/" + t.id() + "|") && closePool(other));
      HikariConfig hc = new HikariConfig();
      hc.setPoolName("collect-" + t.id());
      hc.setJdbcUrl("jdbc:mariadb://" + t.host() + ":" + t.port() + "/?sslMode=disable&connectTimeout=" + connectTimeoutMs
          + "&socketTimeout=" + (queryTimeoutSeconds + 5) * 1000);
      hc.setUsername(t.user());
      hc.setPassword(password);
      hc.setMaximumPoolSize(2);
      hc.setMinimumIdle(0);
      hc.setConnectionTimeout(Math.max(connectTimeoutMs, 250));
      hc.setInitializationFailTimeout(-1);
      hc.setIdleTimeout(120_000);
      return new HikariDataSource(hc);
    });
  }

  private boolean closePool(String key) {
    HikariDataSource ds = pools.get(key);
    if (ds != null) {
      ds.close();
    }
    return true;
  }

  /** Closes the pools of the group's targets that are no longer collected. */
  public void retain(String group, Set<String> targetIds) {
    pools.keySet().removeIf(k -> k.startsWith(group + "/")
        && !targetIds.contains(k.substring(group.length() + 1, k.indexOf('|'))) && closePool(k));
  }

  @Override
  public void close() {
    pools.values().forEach(HikariDataSource::close);
    pools.clear();
  }
}

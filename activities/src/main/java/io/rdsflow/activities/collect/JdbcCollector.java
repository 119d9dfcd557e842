package io.rdsflow.activities.collect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects a MariaDB/MySQL server over JDBC: the built-in {@link JdbcSource}s the target has not switched
 * off, in order, over one connection of the monitor account (sessions from the process list, global status
 * counters, the short list of global variables, replication health on replicas, the InnoDB history list),
 * then custom SQL metrics over the custom account. A source that fails leaves the others' samples; only when
 * every source fails does the target fail. Each target has a small pool of its own with connect and query
 * timeouts.
 */
public final class JdbcCollector implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcCollector.class);
  /** The built-in sources, in the order they run. */
  static final List<JdbcSource> SOURCES = List.of(new ProcesslistSource(), new GlobalStatusSource(),
      new GlobalVariablesSource(), new SlaveStatusSource(), new InnodbSource());

  private final int connectTimeoutMs;
  private final int queryTimeoutSeconds;
  private final List<JdbcSource> sources;
  private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

  public JdbcCollector(int connectTimeoutMs, int queryTimeoutSeconds) {
    this(connectTimeoutMs, queryTimeoutSeconds, SOURCES);
  }

  JdbcCollector(int connectTimeoutMs, int queryTimeoutSeconds, List<JdbcSource> sources) {
    this.connectTimeoutMs = connectTimeoutMs;
    this.queryTimeoutSeconds = queryTimeoutSeconds;
    this.sources = List.copyOf(sources);
  }

  /**
   * What one target gave: its samples, per custom metric that failed why (the target itself is fine),
   * and how each built-in source fared (for {@code rdsflow_collector_success}/{@code _duration_seconds}).
   */
  public record Result(List<Sample> samples, Map<String, String> customErrors, List<JdbcSource.Outcome> sources) {}

  /**
   * The built-in series over the monitor account, then each custom metric over the target's custom
   * account. The built-ins must be done by {@code deadlineNanos} (else {@link TimeoutException}, the
   * target fails); a custom metric that fails, is refused or finds the time spent adds only its own
   * {@code rds_custom_errors{metric}} and an entry in {@link Result#customErrors()}.
   */
  public Result collect(Target t, String password, String customPassword, List<CustomMetric> custom, long deadlineNanos)
      throws SQLException, TimeoutException {
    List<Sample> out = new ArrayList<>();
    List<JdbcSource.Outcome> outcomes;
    try (Connection c = pool(t, "monitor", t.user(), password).getConnection()) {
      outcomes = scrape(t, c, out);
    }
    if (System.nanoTime() > deadlineNanos) {
      throw new TimeoutException("timed out before the custom metrics");
    }
    Map<String, String> errors = new LinkedHashMap<>();
    if (!custom.isEmpty()) {
      runCustom(t, customPassword, custom, deadlineNanos, out, errors);
    }
    return new Result(out, errors, outcomes);
  }

  /**
   * Runs the sources {@code t} collects in order over {@code c}, their samples into {@code out}; a source
   * that throws adds nothing and is recorded failed ({@link JdbcSource.Incomplete}: its samples are added,
   * it is recorded failed with its reason). Throws the first source's error when every source failed (the
   * server or the connection is gone, not one source).
   */
  List<JdbcSource.Outcome> scrape(Target t, Connection c, List<Sample> out) throws SQLException {
    String instanceId = t.instanceId();
    List<JdbcSource.Outcome> outcomes = new ArrayList<>(sources.size());
    Exception first = null;
    boolean read = false; // some source gave samples: the server answers
    for (JdbcSource source : sources) {
      if (!t.collects(source.name())) {
        continue;
      }
      long start = System.nanoTime();
      try {
        out.addAll(source.scrape(c, queryTimeoutSeconds));
        outcomes.add(new JdbcSource.Outcome(source.name(), true, System.nanoTime() - start, null));
        read = true;
      } catch (JdbcSource.Incomplete e) { // partial: what was read stands, the gap is reported
        out.addAll(e.samples());
        read = true;
        outcomes.add(new JdbcSource.Outcome(source.name(), false, System.nanoTime() - start, e.getMessage()));
        LOG.debug("[{}] source {}: {}", instanceId, source.name(), e.getMessage());
      } catch (SQLException | RuntimeException e) { // anything the driver or a parser throws: this source fails alone
        outcomes.add(new JdbcSource.Outcome(source.name(), false, System.nanoTime() - start, e.getMessage()));
        if (first == null) {
          first = e;
        }
        // access denied (1227): the account lacks the source's privilege, every round; the gauge tells it
        if (e instanceof SQLException sql && sql.getErrorCode() == 1227) {
          LOG.debug("[{}] source {}: {}", instanceId, source.name(), e.getMessage());
        } else {
          LOG.warn("[{}] source {}: {}", instanceId, source.name(), e.getMessage());
        }
      }
    }
    if (first != null && !read) {
      if (first instanceof SQLException sql) {
        throw sql;
      }
      throw (RuntimeException) first;
    }
    return outcomes;
  }

  private void runCustom(Target t, String customPassword, List<CustomMetric> custom, long deadlineNanos, List<Sample> out,
      Map<String, String> errors) {
    String refusal = null;
    HikariDataSource pool = null;
    Connection c = null;
    try {
      if (!t.hasCustomAccount() || customPassword == null) {
        refusal = "no account to run custom SQL as: instance " + t.instanceId() + " has no " + CUSTOM_ACCOUNT_NOTE;
      } else {
        String key = key(t, "custom");
        pool = pool(t, "custom", t.customUser(), customPassword);
        c = pool.getConnection();
        refusal = grantsVerdict(key, c, t.customUser());
      }
    } catch (SQLException | RuntimeException e) {
      refusal = "cannot connect as " + t.customUser() + ": " + e.getMessage();
    }
    try {
      for (CustomMetric m : custom) {
        String error = refusal;
        if (error == null) {
          long remaining = TimeUnit.NANOSECONDS.toSeconds(deadlineNanos - System.nanoTime());
          if (deadlineNanos != Long.MAX_VALUE && remaining < 1) {
            error = "not run: the target's collection time (collection.targetTimeout) is spent";
          } else {
            try {
              out.addAll(CustomMetricRunner.run(c, m, (int) Math.max(1, Math.min(queryTimeoutSeconds, remaining))));
            } catch (Exception e) { // SQLException or anything the driver throws: this metric fails alone
              error = e instanceof SQLException ? e.getMessage() : "custom metric " + m.name() + ": " + e;
            }
          }
        }
        if (error != null) {
          LOG.warn("[{}] custom metric {}: {}", t.instanceId(), m.name(), error);
          out.add(new Sample("custom_errors", Map.of("metric", m.name()), 1, false));
          errors.put(m.name(), error);
        }
      }
    } finally {
      if (c != null) {
        try {
          pool.evictConnection(c); // closed, not kept idle: no rdsflow session lingers into the next round's process list
        } catch (RuntimeException e) {
          LOG.debug("[{}] evicting the custom-metric connection: {}", t.instanceId(), e.toString());
        }
      }
    }
  }

  static final String CUSTOM_ACCOUNT_NOTE = "least-privilege custom-metric account (rdsflow_custom; instances created "
      + "before it existed run no custom SQL)";

  /** How long a verdict on an account's grants is trusted before SHOW GRANTS is asked again. */
  static final long GRANTS_TTL_NANOS = TimeUnit.MINUTES.toNanos(5);

  private record Verdict(String refusal, long checkedAtNanos) {}

  private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

  /** Null when the account may run custom SQL; else why not. Cached per pool for {@link #GRANTS_TTL_NANOS}. */
  private String grantsVerdict(String key, Connection c, String user) throws SQLException {
    Verdict v = verdicts.get(key);
    if (v != null && System.nanoTime() - v.checkedAtNanos() < GRANTS_TTL_NANOS) {
      return v.refusal();
    }
    String refusal = refusal(c, user);
    verdicts.put(key, new Verdict(refusal, System.nanoTime()));
    return refusal;
  }

  private static final Pattern GRANT = Pattern.compile("(?i)^GRANT\\s+(.+?)\\s+ON\\s+(\\S+)\\s+TO\\s");

  /**
   * Refuses accounts holding FILE, SUPER or ALL PRIVILEGES globally ({@code SHOW GRANTS}, incl. the
   * default role's lines) or able to see {@code mysql.user}/{@code mysql.global_priv} (the password
   * hashes; information_schema lists a table only to who holds a privilege on it, roles included).
   */
  static String refusal(Connection c, String user) throws SQLException {
    java.util.Set<String> dangerous = new java.util.TreeSet<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
      while (rs.next()) {
        Matcher m = GRANT.matcher(rs.getString(1));
        if (m.find() && m.group(2).equals("*.*")) {
          for (String p : m.group(1).split(",")) {
            String priv = p.trim().toUpperCase(java.util.Locale.ROOT);
            if (priv.equals("FILE") || priv.equals("SUPER") || priv.startsWith("ALL")) {
              dangerous.add(priv);
            }
          }
        }
      }
    }
    if (!dangerous.isEmpty()) {
      return "refused to run custom SQL as " + user + ": it holds " + String.join(", ", dangerous)
          + " on *.*; give it SELECT on the application databases only (see README)";
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES "
        + "WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME IN ('user', 'global_priv')")) {
      if (rs.next() && rs.getLong(1) > 0) {
        return "refused to run custom SQL as " + user + ": it may read mysql.user (password hashes); "
            + "give it SELECT on the application databases only, not on *.* or mysql.* (see README)";
      }
    }
    return null;
  }

  /** The pool of a target's account; the ciphertext's hash tells a changed password (never the password's). */
  private static String key(Target t, String kind) {
    String user = kind.equals("custom") ? t.customUser() : t.user();
    String encrypted = kind.equals("custom") ? t.customEncryptedPassword() : t.encryptedPassword();
    return t.group() + "/" + t.id() + "|" + kind + "|" + t.host() + ":" + t.port() + "|" + user + "|"
        + Integer.toHexString(encrypted == null ? 0 : encrypted.hashCode());
  }

  private HikariDataSource pool(Target t, String kind, String user, String password) {
    String key = key(t, kind);
    return pools.computeIfAbsent(key, k -> {
      pools.keySet().removeIf(other -> other.startsWith(t.group() + "/" + t.id() + "|" + kind + "|") && closePool(other));
      HikariConfig hc = new HikariConfig();
      hc.setPoolName("collect-" + kind + "-" + t.id());
      hc.setJdbcUrl("jdbc:mariadb://" + t.host() + ":" + t.port() + "/?sslMode=disable&connectTimeout=" + connectTimeoutMs
          + "&socketTimeout=" + (queryTimeoutSeconds + 5) * 1000);
      hc.setUsername(user);
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
    verdicts.remove(key);
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

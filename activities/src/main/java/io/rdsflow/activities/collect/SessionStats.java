package io.rdsflow.activities.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Session aggregates of one server from its process list: total and active sessions, by user,
 * client host and database, and the longest-running active session.
 */
public final class SessionStats {
  /** Threads that are the server's own or replication's, never a client's work. */
  private static final Set<String> BACKGROUND = Set.of("Daemon", "Binlog Dump", "Binlog Dump GTID", "Slave_IO",
      "Slave_SQL", "Slave_worker", "Connect", "Killed");

  /** One row of the process list. */
  public record Session(String user, String host, String db, String command, long timeSeconds) {
    boolean active() {
      return !"Sleep".equals(command) && !BACKGROUND.contains(command) && !"system user".equals(user)
          && !"event_scheduler".equals(user);
    }

    /** The client address without its port ({@code 10.0.0.5:51234} → {@code 10.0.0.5}). */
    String client() {
      if (host == null || host.isEmpty()) {
        return "local";
      }
      int colon = host.lastIndexOf(':');
      return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
    }
  }

  private SessionStats() {}

  public static List<Sample> of(List<Session> sessions) {
    int active = 0;
    long maxActive = 0;
    Map<String, Integer> byUser = new TreeMap<>();
    Map<String, Integer> byClient = new TreeMap<>();
    Map<String, Integer> byDb = new TreeMap<>();
    for (Session s : sessions) {
      if (s.active()) {
        active++;
        maxActive = Math.max(maxActive, s.timeSeconds());
      }
      byUser.merge(s.user() == null ? "" : s.user(), 1, Integer::sum);
      byClient.merge(s.client(), 1, Integer::sum);
      if (s.db() != null && !s.db().isEmpty()) {
        byDb.merge(s.db(), 1, Integer::sum);
      }
    }
    List<Sample> out = new ArrayList<>();
    out.add(Sample.gauge("sessions", "state", "total", sessions.size()));
    out.add(Sample.gauge("sessions", "state", "active", active));
    byUser.forEach((k, v) -> out.add(Sample.gauge("sessions_by_user", "user", k, v)));
    byClient.forEach((k, v) -> out.add(Sample.gauge("sessions_by_client", "client", k, v)));
    byDb.forEach((k, v) -> out.add(Sample.gauge("sessions_by_db", "db", k, v)));
    out.add(Sample.gauge("session_max_active_seconds", maxActive));
    return out;
  }
}

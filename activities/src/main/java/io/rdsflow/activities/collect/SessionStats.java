package io.rdsflow.activities.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Session aggregates of one server from its process list: total and active sessions, by user,
 * client host and database, the longest-running active session, and the threads and their summed time by
 * command and state ({@code rds_processlist_threads}/{@code _seconds{command,state}}, labelled as
 * mysqld_exporter's {@code info_schema.processlist} does: command lower case, state lower case with
 * {@code _} for spaces and dashes, punctuation dropped, {@code unknown} when empty).
 */
public final class SessionStats {
  /** Threads that are the server's own or replication's, never a client's work. */
  private static final Set<String> BACKGROUND = Set.of("Daemon", "Binlog Dump", "Binlog Dump GTID", "Slave_IO",
      "Slave_SQL", "Slave_worker", "Connect", "Killed");

  /** One row of the process list. */
  public record Session(String user, String host, String db, String command, long timeSeconds, String state) {
    /** A session from a source that tells no state. */
    public Session(String user, String host, String db, String command, long timeSeconds) {
      this(user, host, db, command, timeSeconds, null);
    }

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
    Map<List<String>, long[]> byCommandState = new TreeMap<>(java.util.Comparator.comparing((List<String> k) -> k.get(0))
        .thenComparing(k -> k.get(1)));
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
      long[] threadsAndSeconds = byCommandState.computeIfAbsent(List.of(command(s.command()), state(s.state())),
          k -> new long[2]);
      threadsAndSeconds[0]++;
      threadsAndSeconds[1] += Math.max(0, s.timeSeconds());
    }
    List<Sample> out = new ArrayList<>();
    out.add(Sample.gauge("sessions", "state", "total", sessions.size()));
    out.add(Sample.gauge("sessions", "state", "active", active));
    byUser.forEach((k, v) -> out.add(Sample.gauge("sessions_by_user", "user", k, v)));
    byClient.forEach((k, v) -> out.add(Sample.gauge("sessions_by_client", "client", k, v)));
    byDb.forEach((k, v) -> out.add(Sample.gauge("sessions_by_db", "db", k, v)));
    out.add(Sample.gauge("session_max_active_seconds", maxActive));
    byCommandState.forEach((k, v) -> {
      Map<String, String> labels = Map.of("command", k.get(0), "state", k.get(1));
      out.add(new Sample("processlist_threads", labels, v[0], false));
      out.add(new Sample("processlist_seconds", labels, v[1], false));
    });
    return out;
  }

  static String command(String command) {
    return command == null || command.isEmpty() ? "unknown" : command.toLowerCase(java.util.Locale.ROOT);
  }

  static String state(String state) {
    if (state == null || state.isEmpty()) {
      return "unknown";
    }
    return state.toLowerCase(java.util.Locale.ROOT).replaceAll("[;,:.()]", "").replace(' ', '_').replace('-', '_');
  }
}

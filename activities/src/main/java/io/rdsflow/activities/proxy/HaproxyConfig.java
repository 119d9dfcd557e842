package io.rdsflow.activities.proxy;

import io.rdsflow.activities.proxy.InstanceProxy.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code haproxy.cfg} of one instance's proxy: two TCP listeners, {@code writer} (the master
 * only) and {@code reader} (the slave, with the master as backup), both health-checked with
 * HAProxy's {@code mysql-check}; the reader's copy of the master tracks the writer's check rather than
 * running its own, so each server is probed once per interval. The text depends only on its inputs, so comparing it with the file
 * on disk tells whether anything changed.
 */
final class HaproxyConfig {
  /** Sessions of a replaced configuration get this long to end after a reload, then are cut. */
  static final String HARD_STOP_AFTER = "3s";

  private static final Pattern CHECK_USER = Pattern.compile("[A-Za-z0-9_]{1,80}");

  private HaproxyConfig() {}

  static void validateCheckUser(String user) {
    if (user == null || !CHECK_USER.matcher(user).matches()) {
      throw new IllegalArgumentException("the proxy's check user must be 1-80 letters, digits or '_': " + user);
    }
  }

  static String render(Path adminSocket, String bindAddress, int writerPort, int readerPort, String checkUser,
      Backend master, Backend slave) {
    validateCheckUser(checkUser);
    if (slave != null && slave.name().equals(master.name())) {
      throw new IllegalArgumentException("master and slave need different names, both are " + master.name());
    }
    if (writerPort == readerPort) {
      throw new IllegalArgumentException("the writer and reader ports must differ, both are " + writerPort);
    }
    List<String> l = new ArrayList<>();
    l.add("# written by rdsflow (InstanceProxy); every apply() regenerates it: do not edit");
    l.add("global");
    l.add("    maxconn 4096");
    l.add("    nbthread 1");
    l.add("    stats socket " + adminSocket + " mode 600 level admin expose-fd listeners");
    l.add("    hard-stop-after " + HARD_STOP_AFTER);
    l.add("");
    l.add("defaults");
    l.add("    mode tcp");
    l.add("    timeout connect 2s");
    l.add("    timeout client 8h");
    l.add("    timeout server 8h");
    l.add("    timeout check 1s");
    l.add("    default-server inter 500 fastinter 500 downinter 500 fall 2 rise 1");
    l.add("");
    l.add("# writer: the current master only; its clients are cut when it is marked down");
    l.add("listen writer");
    l.add("    bind " + address(bindAddress, writerPort));
    l.add("    option mysql-check user " + checkUser + " post-41");
    l.add("    server " + master.name() + " " + address(master.host(), master.port())
        + " check on-marked-down shutdown-sessions");
    l.add("");
    l.add(slave == null ? "# reader: the master (single node)" : "# reader: the slave; the master while the slave is down");
    l.add("listen reader");
    l.add("    bind " + address(bindAddress, readerPort));
    l.add("    option mysql-check user " + checkUser + " post-41");
    if (slave == null) {
      l.add("    server " + master.name() + " " + address(master.host(), master.port()) + " track writer/" + master.name());
    } else {
      l.add("    server " + slave.name() + " " + address(slave.host(), slave.port())
          + " check on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions");
      l.add("    server " + master.name() + " " + address(master.host(), master.port())
          + " backup track writer/" + master.name());
    }
    return String.join("\n", l) + "\n";
  }

  /** Validates {@code text} with {@code haproxy -c}, then moves it over {@code config} atomically; errors quote the line HAProxy cites. */
  static void install(Path config, String text) throws IOException {
    Path candidate = config.resolveSibling(config.getFileName() + ".new");
    Files.writeString(candidate, text, StandardCharsets.UTF_8);
    Path out = config.resolveSibling("haproxy-check.out");
    int rc = HaproxyProcesses.run(List.of(HaproxyProcesses.binary().toString(), "-c", "-f", candidate.toString()),
        out, Duration.ofSeconds(30));
    if (rc != 0) {
      String why = HaproxyProcesses.alerts(out, candidate, config);
      Files.deleteIfExists(candidate);
      throw new IOException("HAProxy rejects the configuration for " + config.getParent() + ": " + why);
    }
    Files.move(candidate, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Puts {@code previous} back in place (removes the file when there was none). */
  static void restore(Path config, String previous) throws IOException {
    if (previous == null) {
      Files.deleteIfExists(config);
    } else {
      Path back = config.resolveSibling(config.getFileName() + ".back");
      Files.writeString(back, previous, StandardCharsets.UTF_8);
      Files.move(back, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** {@code host:port}, with HAProxy's {@code ipv6@} prefix for an IPv6 literal. */
  static String address(String host, int port) {
    return (host.indexOf(':') >= 0 ? "ipv6@" + host : host) + ":" + port;
  }
}

package io.rdsflow.activities.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The stable addresses of one local instance: one HAProxy process living in {@code home}
 * ({@code haproxy.cfg}, {@code haproxy.pid}, an admin socket) listening on {@code writer} (leads to the
 * current master only) and {@code reader} (leads to the slave; to the master while the slave is down).
 *
 * <p>Health checks use HAProxy's {@code mysql-check}, which logs in without a password (it cannot send
 * one) and quits. Every backend server therefore needs a password-less account with no privileges,
 * e.g. {@code CREATE USER 'rdsflow_proxy_check'@'<proxy host address>'} (USAGE only; with
 * {@code skip-name-resolve} the host part must be the address HAProxy connects from, 127.0.0.1 for a
 * proxy on the node's own host), authenticated by {@code mysql_native_password} (MariaDB's default; on
 * MySQL 8 say {@code IDENTIFIED WITH mysql_native_password}). Without it every server is marked down.
 * The check proves that the server accepts logins, not that it is writable: which node is the master
 * is decided by the control plane through {@link #apply}.
 *
 * <p>{@link #apply} is idempotent (an unchanged configuration with a running process does nothing), so a
 * retried activity neither reloads nor cuts sessions. A change reloads HAProxy ({@code -sf} with the
 * listening sockets handed over through the admin socket, {@code -x}): new connections follow the new
 * configuration as soon as {@code apply} returns; sessions of the old configuration are cut after
 * {@value HaproxyConfig#HARD_STOP_AFTER} ({@code hard-stop-after}), so no client stays on a demoted master.
 */
public final class InstanceProxy {
  /** The check account's conventional name. */
  public static final String DEFAULT_CHECK_USER = "rdsflow_proxy_check";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** A database server behind the proxy; {@code name} is its HAProxy server name (letters, digits, {@code . _ -}). */
  public record Backend(String name, String host, int port) {
    public Backend {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("backend name must be 1-64 letters, digits, '.', '_' or '-': " + name);
      }
      if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("backend " + name + " has no valid host: " + host);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("backend " + name + " has an invalid port " + port);
      }
    }
  }

  private final Path home;
  private final String bindAddress;
  private final int writerPort;
  private final int readerPort;
  private final String checkUser;

  public InstanceProxy(Path home, String bindAddress, int writerPort, int readerPort, String checkUser) {
    HaproxyConfig.validateCheckUser(checkUser);
    this.home = home.toAbsolutePath().normalize();
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    this.writerPort = writerPort;
    this.readerPort = readerPort;
    this.checkUser = checkUser;
  }

  public Path home() { return home; }
  public String bindAddress() { return bindAddress; }
  public int writerPort() { return writerPort; }
  public int readerPort() { return readerPort; }
  public Path configFile() { return home.resolve("haproxy.cfg"); }
  public Path pidFile() { return home.resolve("haproxy.pid"); }

  /** The admin (stats) socket: in {@code home} unless that path exceeds the unix socket limit. */
  public Path adminSocket() {
    Path inHome = home.resolve("haproxy.sock");
    return inHome.toString().length() <= 100 ? inHome : HaproxyProcesses.shortSocketPath(home);
  }

  /** The HAProxy executable: from PATH, else /usr/sbin or /usr/local/sbin; the error names {@code .ci/install-deps}. */
  public static Path binary() {
    return HaproxyProcesses.binary();
  }

  /**
   * Points the writer at {@code master} and the reader at {@code slave} (at {@code master} when
   * {@code slave} is null): writes the configuration atomically, then starts HAProxy or reloads it
   * gracefully. Returns once the process serving the new configuration listens on both ports; does
   * nothing when the configuration is unchanged and HAProxy runs.
   */
  public void apply(Backend master, Backend slave) throws IOException {
    Objects.requireNonNull(master, "master");
    String text = HaproxyConfig.render(adminSocket(), bindAddress, writerPort, readerPort, checkUser, master, slave);
    HomeLock.run(home, () -> {
      Optional<Long> running = runningPid();
      String previous = Files.isRegularFile(configFile()) ? Files.readString(configFile()) : null;
      boolean same = text.equals(previous);
      if (same && running.isPresent() && listening(writerPort) && listening(readerPort)) {
        return;
      }
      if (!same) {
        HaproxyConfig.install(configFile(), text);
      }
      try {
        launch(HaproxyProcesses.all(configFile())); // with any process the pid file lost track of
      } catch (IOException e) {
        if (!same) { // else a retry would find its configuration "applied" while the old one serves
          HaproxyConfig.restore(configFile(), previous);
        }
        throw e;
      }
    });
  }

  /** The pid of the HAProxy serving this directory's configuration, if one runs. */
  public Optional<Long> runningPid() {
    try {
      long pid = Long.parseLong(Files.readString(pidFile()).trim());
      return HaproxyProcesses.runs(pid, configFile()) ? Optional.of(pid) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Stops every HAProxy of this configuration (SIGTERM, SIGKILL after a timeout) and waits until the ports are free. Idempotent. */
  public void stop() throws IOException {
    if (!Files.isDirectory(home)) {
      return;
    }
    HomeLock.run(home, () -> {
      List<Long> pids = new ArrayList<>(HaproxyProcesses.all(configFile()));
      runningPid().filter(p -> !pids.contains(p)).ifPresent(pids::add);
      for (long pid : pids) {
        HaproxyProcesses.terminate(pid, STOP_TIMEOUT);
      }
      Files.deleteIfExists(pidFile());
      if (!pids.isEmpty() && !HaproxyProcesses.await(() -> !listening(writerPort) && !listening(readerPort), STOP_TIMEOUT)) {
        throw new IOException("haproxy of " + home + " stopped but " + connectHost() + ":" + writerPort + "/"
            + readerPort + " still accept connections: another process holds them");
      }
    });
  }

  private void launch(List<Long> old) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(binary().toString(), "-f", configFile().toString(),
        "-p", pidFile().toString(), "-D"));
    if (!old.isEmpty()) {
      if (Files.exists(adminSocket())) {
        cmd.addAll(List.of("-x", adminSocket().toString()));
      }
      cmd.add("-sf");
      old.forEach(pid -> cmd.add(Long.toString(pid)));
    }
    Path out = home.resolve("haproxy.out");
    int rc = HaproxyProcesses.run(cmd, out, START_TIMEOUT);
    if (rc != 0) {
      throw new IOException("haproxy for " + home + " did not " + (old.isEmpty() ? "start" : "reload")
          + " (exit " + rc + "): " + HaproxyProcesses.alerts(out, configFile(), configFile()));
    }
    boolean started = HaproxyProcesses.await(() -> runningPid().filter(p -> !old.contains(p)).isPresent()
        && listening(writerPort) && listening(readerPort), START_TIMEOUT);
    if (!started) {
      throw new IOException("haproxy for " + home + " exited or does not listen on " + connectHost() + ":"
          + writerPort + "/" + readerPort + " after starting: " + HaproxyProcesses.alerts(out, configFile(), configFile()));
    }
    // The old processes stop accepting when the new one signals them; without sessions they exit at once.
    HaproxyProcesses.await(() -> old.stream().noneMatch(HaproxyProcesses::alive), Duration.ofMillis(500));
  }

  private boolean listening(int port) {
    return HaproxyProcesses.listening(connectHost(), port);
  }

  private String connectHost() {
    return bindAddress.equals("0.0.0.0") || bindAddress.equals("*") || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
  }
}

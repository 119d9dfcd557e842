package io.rdsflow.mysqld;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One MariaDB/MySQL server process living in one directory: {@code my.cnf} and the sub-directories
 * {@code data tmp log run binlog relay}. It is started detached ({@code setsid}) so it outlives the
 * JVM that started it, and it is found again through its pid file.
 */
public final class MysqldServer {
  public static final List<String> SUBDIRS = List.of("data", "tmp", "log", "run", "binlog", "relay");
  private static final boolean RUNNING_AS_ROOT = "root".equals(System.getProperty("user.name"));

  private final ServerBinaries binaries;
  private final Path home;
  private final int port;
  private final String bindAddress;
  private final Map<String, String> settings;

  /**
   * @param settings server options written under {@code [mariadbd]}/{@code [mysqld]} after the
   *     fixed ones (port, paths); a value of {@code ""} writes a bare flag
   */
  public MysqldServer(ServerBinaries binaries, Path home, int port, String bindAddress, Map<String, String> settings) {
    this.binaries = binaries;
    this.home = home.toAbsolutePath();
    this.port = port;
    this.bindAddress = bindAddress;
    this.settings = new LinkedHashMap<>(settings);
  }

  public Path home() { return home; }
  public int port() { return port; }
  public String bindAddress() { return bindAddress; }
  public ServerBinaries binaries() { return binaries; }
  public Path configFile() { return home.resolve("my.cnf"); }
  public Path dataDir() { return home.resolve("data"); }
  public Path errorLog() { return home.resolve("log/error.log"); }
  public Path pidFile() { return home.resolve("run/mysqld.pid"); }

  /** A socket path short enough for the 107-byte limit, unique per home directory. */
  public Path socket() {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(home.toString().getBytes(StandardCharsets.UTF_8));
      return Path.of("/tmp/rdsflow-" + HexFormat.of().formatHex(h, 0, 6) + ".sock");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates the directories and (re)writes my.cnf; safe to repeat. */
  public void writeConfig() throws IOException {
    for (String d : SUBDIRS) {
      Files.createDirectories(home.resolve(d));
    }
    String section = binaries.flavor() == ServerBinaries.Flavor.MARIADB ? "mariadbd" : "mysqld";
    List<String> lines = new ArrayList<>();
    lines.add("# written by rdsflow; regenerated from the metadata database");
    lines.add("[client]");
    lines.add("port=" + port);
    lines.add("socket=" + socket());
    lines.add("");
    lines.add("[" + section + "]");
    lines.add("port=" + port);
    lines.add("bind-address=" + bindAddress);
    lines.add("socket=" + socket());
    lines.add("pid-file=" + pidFile());
    lines.add("datadir=" + dataDir());
    lines.add("tmpdir=" + home.resolve("tmp"));
    lines.add("log-error=" + errorLog());
    lines.add("skip-name-resolve");
    settings.forEach((k, v) -> lines.add(v.isEmpty() ? k : k + "=" + v));
    Files.write(configFile(), lines, StandardCharsets.UTF_8);
  }

  public boolean isInitialized() {
    return Files.isDirectory(dataDir().resolve("mysql"));
  }

  /** Creates the system tables. The root accounts it makes have no password: secure them next. */
  public void initialize() throws IOException {
    List<String> cmd = new ArrayList<>();
    if (binaries.flavor() == ServerBinaries.Flavor.MARIADB) {
      cmd.add(binaries.installDb().toString());
      cmd.add("--defaults-file=" + configFile());
      cmd.add("--auth-root-authentication-method=normal");
      cmd.add("--skip-test-db");
      cmd.add("--skip-log-bin");
      cmd.add("--datadir=" + dataDir());
      if (binaries.baseDir() != null && !binaries.server().startsWith("/usr/sbin")) {
        cmd.add("--basedir=" + binaries.baseDir());
      }
    } else {
      cmd.add(binaries.server().toString());
      cmd.add("--defaults-file=" + configFile());
      cmd.add("--initialize-insecure");
    }
    if (RUNNING_AS_ROOT) {
      cmd.add("--user=root");
    }
    Path log = home.resolve("log/install.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("initialising " + dataDir() + " took more than 5 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while initialising " + dataDir(), e);
    }
    if (p.exitValue() != 0 || !isInitialized()) {
      throw new IOException("initialising " + dataDir() + " failed (exit " + p.exitValue() + "): " + tail(log));
    }
  }

  /** The pid of this directory's running server, if one runs. */
  public Optional<Long> runningPid() {
    try {
      if (!Files.exists(pidFile())) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile()).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> isOurs(pid)).map(h -> pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private boolean isOurs(long pid) {
    try {
      String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
      return cmdline.contains(configFile().toString());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Starts the server detached unless it already runs, and waits until it greets clients.
   *
   * @return the server's pid
   */
  public long start(Duration timeout) throws IOException {
    long pid = spawn();
    awaitReady(pid, timeout);
    return runningPid().orElse(pid);
  }

  /** Starts the server detached unless it already runs; does not wait. Returns its pid. */
  public long spawn() throws IOException {
    Optional<Long> running = runningPid();
    if (running.isPresent()) {
      return running.get();
    }
    Files.deleteIfExists(pidFile());
    List<String> cmd = new ArrayList<>(List.of("setsid", binaries.server().toString(), "--defaults-file=" + configFile()));
    if (RUNNING_AS_ROOT) {
      cmd.add("--user=root");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("log/stdout.log").toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return pb.start().pid();
  }

  /** True once the server greets clients on its port. */
  public boolean greets() {
    return greets(connectHost(), port);
  }

  public void awaitReady(long pid, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
        throw new IOException("server " + home + " exited during start-up: " + tail(errorLog()));
      }
      if (greets(connectHost(), port)) {
        return;
      }
      sleep(50);
    }
    throw new IOException("server " + home + " did not answer on port " + port + " within " + timeout + ": " + tail(errorLog()));
  }

  /** The address clients use to reach this server. */
  public String connectHost() {
    return bindAddress.equals("0.0.0.0") || bindAddress.equals("*") || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
  }

  /** True when something on host:port sends a MySQL protocol packet (greeting or error). */
  public static boolean greets(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      s.setSoTimeout(1000);
      InputStream in = s.getInputStream();
      byte[] header = in.readNBytes(5);
      return header.length == 5 && (header[4] == 0x0a || (header[4] & 0xff) == 0xff);
    } catch (IOException e) {
      return false;
    }
  }

  /** True when anything listens on host:port. */
  public static boolean listening(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL after the timeout) and waits for the process to exit. */
  public void stop(Duration timeout) {
    runningPid().ifPresent(pid -> stopPid(pid, timeout));
  }

  public static void stopPid(long pid, Duration timeout) {
    ProcessHandle.of(pid).ifPresent(h -> {
      h.destroy();
      try {
        h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
        try {
          h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // reported by the caller's next check of the pid
        }
      }
    });
  }

  public String jdbcUrl(String database) {
    return "jdbc:mariadb://" + connectHost() + ":" + port + "/" + (database == null ? "" : database)
        + "?sslMode=disable&connectTimeout=5000";
  }

  public static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    } catch (IOException e) {
      return "(no " + file + ")";
    }
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}

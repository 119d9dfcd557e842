package io.rdsflow.activities.proxy;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Process plumbing for {@link InstanceProxy}. A daemonised HAProxy ({@code -D}) is not the JVM's child:
 * its parent is init, which may be slow to reap it, so an exited process can linger as a zombie;
 * {@link #alive} counts a zombie as gone (its sockets are closed), unlike {@code ProcessHandle.isAlive}.
 */
final class HaproxyProcesses {
  private static final Pattern CONFIG_LINE = Pattern.compile(":(\\d+)\\]");
  private static final List<Path> FALLBACKS = List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/local/sbin/haproxy"));

  private HaproxyProcesses() {}

  static Path binary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy"))) {
          return Path.of(dir, "haproxy");
        }
      }
    }
    return FALLBACKS.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
        "HAProxy is not installed (no haproxy in PATH, /usr/sbin or /usr/local/sbin): run .ci/install-deps "
            + "or apt-get install haproxy"));
  }

  /** A unix socket path under /tmp, unique per {@code home}, for homes too deep for the 107-byte limit. */
  static Path shortSocketPath(Path home) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(home.toString().getBytes(StandardCharsets.UTF_8));
      return Path.of("/tmp/rdsflow-haproxy-" + HexFormat.of().formatHex(h, 0, 6) + ".sock");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True while the process exists and has not exited (a zombie has). */
  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      int close = stat.lastIndexOf(')');
      char state = close < 0 || close + 2 >= stat.length() ? '?' : stat.charAt(close + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /** True when {@code pid} is a live process started with {@code -f <config>}. */
  static boolean runs(long pid, Path config) {
    if (!alive(pid)) {
      return false;
    }
    try {
      List<String> args = Arrays.asList(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
      int f = args.indexOf("-f");
      return f >= 0 && f + 1 < args.size() && args.get(f + 1).equals(config.toString());
    } catch (IOException e) {
      return false;
    }
  }

  /** Every live process started with {@code -f <config>}: the current one and any still finishing after a reload. */
  static List<Long> all(Path config) {
    return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> runs(pid, config)).toList();
  }

  /** SIGTERM (HAProxy's immediate stop), then SIGKILL if it has not exited within the timeout. */
  static void terminate(long pid, Duration timeout) throws IOException {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    if (!await(() -> !alive(pid), timeout)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      if (!await(() -> !alive(pid), Duration.ofSeconds(10))) {
        throw new IOException("haproxy pid " + pid + " survived SIGKILL");
      }
    }
  }

  /** Runs a short command, its output (stdout and stderr) to {@code out}; returns the exit code. */
  static int run(List<String> cmd, Path out, Duration timeout) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " took more than " + timeout);
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", cmd), e);
    }
  }

  /** HAProxy's ALERT lines from {@code out} (all of it when there are none), each line of the config they cite quoted. */
  static String alerts(Path out, Path config, Path shownAs) {
    List<String> lines;
    List<String> cfg;
    try {
      lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      cfg = Files.exists(config) ? Files.readAllLines(config, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
    List<String> alerts = lines.stream().filter(l -> l.contains("[ALERT]")).toList();
    StringBuilder sb = new StringBuilder();
    for (String l : alerts.isEmpty() ? lines : alerts) {
      String line = l.replace(config.toString(), shownAs.toString())
          .replace(config.getFileName().toString() + ":", shownAs.getFileName() + ":");
      sb.append(sb.length() == 0 ? "" : " | ").append(line.replaceFirst("^\\[ALERT\\]\\s*\\(\\d+\\)\\s*:\\s*", ""));
      Matcher m = CONFIG_LINE.matcher(l);
      if (m.find()) {
        int n = Integer.parseInt(m.group(1));
        if (n >= 1 && n <= cfg.size()) {
          sb.append(" [line ").append(n).append(": ").append(cfg.get(n - 1).trim()).append("]");
        }
      }
    }
    return sb.toString();
  }

  static boolean listening(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean await(BooleanSupplier condition, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}

package io.rdsflow.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Server processes a test started, found by a directory on their command line, and stopped. */
public final class TestProcesses {
  private TestProcesses() {}

  /** Pids of processes whose command line mentions {@code dir}. */
  public static List<Long> under(Path dir) {
    List<Long> pids = new ArrayList<>();
    String needle = dir.toAbsolutePath().toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
          if (cmdline.contains(needle) && Long.parseLong(name) != ProcessHandle.current().pid()) {
            pids.add(Long.parseLong(name));
          }
        } catch (IOException | RuntimeException e) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }

  /** Pids of database servers ({@code mariadbd}/{@code mysqld}) whose command line mentions {@code dir}. */
  public static List<Long> servers(Path dir) {
    return named(dir, "mariadbd", "mysqld");
  }

  /** Pids of proxies ({@code haproxy}) whose command line mentions {@code dir}. */
  public static List<Long> proxies(Path dir) {
    return named(dir, "haproxy");
  }

  private static List<Long> named(Path dir, String... programs) {
    List<Long> out = new ArrayList<>();
    for (long pid : under(dir)) {
      try {
        String program = Path.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0")[0])
            .getFileName().toString();
        if (java.util.Arrays.asList(programs).contains(program)) {
          out.add(pid);
        }
      } catch (IOException | RuntimeException e) {
        // the process ended while we looked
      }
    }
    return out;
  }

  /** Stops every process under {@code dir}: SIGTERM, then SIGKILL after 20 s. */
  public static void stopAllUnder(Path dir) {
    for (long pid : under(dir)) {
      ProcessHandle.of(pid).ifPresent(h -> {
        h.destroy();
        try {
          h.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
          h.destroyForcibly();
        }
      });
    }
  }
}

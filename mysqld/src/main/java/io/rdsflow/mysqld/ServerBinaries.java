package io.rdsflow.mysqld;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One set of MariaDB/MySQL server binaries: the server, its initialiser and the client tools that
 * exist next to it. Tools missing from a set (the bundled MariaDB has no mariadb-backup) are empty,
 * and callers choose an alternative.
 */
public record ServerBinaries(
    Flavor flavor,
    String version,
    Path server,
    Path installDb,
    Optional<Path> dump,
    Optional<Path> backup,
    Optional<Path> tzinfoToSql,
    Path baseDir) {

  public enum Flavor { MARIADB, MYSQL }

  private static final Pattern VERSION = Pattern.compile("Ver (\\d+\\.\\d+\\.\\d+)(-MariaDB)?");

  /** True when the version is at least major.minor (numerically: 10.11 is after 10.5). */
  public boolean atLeast(int major, int minor) {
    String[] p = version.split("\\.");
    int ma = Integer.parseInt(p[0]);
    int mi = Integer.parseInt(p[1]);
    return ma > major || (ma == major && mi >= minor);
  }

  /** Major.minor, e.g. {@code 10.11}. */
  public String majorMinor() {
    return majorMinor(version);
  }

  /** Major.minor of a full version such as {@code 10.11.19}. */
  public static String majorMinor(String version) {
    String[] p = version.split("\\.");
    return p[0] + "." + p[1];
  }

  /** Where the binaries are looked for, in order: the configured directory, then PATH and the usual places. */
  public static List<Path> searchPath(Path configuredBinDir) {
    List<Path> dirs = new ArrayList<>();
    if (configuredBinDir != null) {
      dirs.add(configuredBinDir);
      return dirs;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(":")) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d));
        }
      }
    }
    for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/mysql/bin", "/usr/local/bin")) {
      dirs.add(Path.of(d));
    }
    return dirs;
  }

  /** Finds a server in the given directories; empty when none is installed there. */
  public static Optional<ServerBinaries> find(List<Path> dirs) {
    for (String serverName : List.of("mariadbd", "mysqld")) {
      for (Path dir : dirs) {
        Path server = dir.resolve(serverName);
        if (Files.isExecutable(server)) {
          return Optional.of(describe(server, dirs));
        }
      }
    }
    return Optional.empty();
  }

  static ServerBinaries describe(Path server, List<Path> dirs) {
    String out = run(server.toString(), "--version");
    Matcher m = VERSION.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("cannot read the version of " + server + ": " + out.trim());
    }
    boolean maria = m.group(2) != null || server.getFileName().toString().startsWith("mariadb");
    Flavor flavor = maria ? Flavor.MARIADB : Flavor.MYSQL;
    List<Path> near = new ArrayList<>();
    near.add(server.getParent());
    near.add(server.getParent().resolveSibling("bin"));
    near.add(server.getParent().resolveSibling("scripts"));
    near.addAll(dirs);
    Path installDb =
        maria
            ? tool(near, "mariadb-install-db", "mysql_install_db")
                .orElseThrow(() -> new IllegalStateException("mariadb-install-db not found next to " + server))
            : server;
    return new ServerBinaries(
        flavor,
        m.group(1),
        server,
        installDb,
        tool(near, "mariadb-dump", "mysqldump"),
        tool(near, "mariadb-backup", "xtrabackup"),
        tool(near, "mariadb-tzinfo-to-sql", "mysql_tzinfo_to_sql"),
        server.getParent().getParent());
  }

  private static Optional<Path> tool(List<Path> dirs, String... names) {
    for (String name : names) {
      for (Path dir : dirs) {
        Path p = dir.resolve(name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

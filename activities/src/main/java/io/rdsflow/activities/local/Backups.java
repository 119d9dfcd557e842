package io.rdsflow.activities.local;

import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.ServerBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A full backup of a node: {@code mariadb-backup} (physical, prepared) when the server's binary set
 * has one of the server's own version, else {@code mariadb-dump} (logical, with GTID position). The
 * root password reaches the tool through a 0600 option file, never the command line.
 */
public final class Backups {
  /** A finished backup. */
  public record Backup(Path path, long bytes, String method) {}

  private Backups() {}

  public static Backup full(MysqldServer server, String rootPassword, Runnable heartbeat)
      throws IOException, InterruptedException {
    ServerBinaries bin = server.binaries();
    Path dir = server.home().resolve("backup");
    Files.createDirectories(dir);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path options = dir.resolve(".client.cnf");
    Files.writeString(options, "");
    Files.setPosixFilePermissions(options, PosixFilePermissions.fromString("rw-------"));
    try {
      if (bin.backup().isPresent() && bin.flavor() == ServerBinaries.Flavor.MARIADB) {
        Files.writeString(options, Files.readString(server.configFile())
            + "\n[client]\nuser=root\npassword=" + rootPassword + "\n");
        Path target = dir.resolve("full-" + stamp);
        run(List.of(bin.backup().get().toString(), "--defaults-file=" + options, "--backup", "--target-dir=" + target,
            "--socket=" + server.socket(), "--datadir=" + server.dataDir()), heartbeat, dir.resolve("backup.log"));
        run(List.of(bin.backup().get().toString(), "--prepare", "--target-dir=" + target), heartbeat, dir.resolve("backup.log"));
        return new Backup(target, size(target), "mariadb-backup");
      }
      if (bin.dump().isEmpty()) {
        throw new IOException("neither mariadb-backup nor mariadb-dump is in " + bin.server().getParent());
      }
      Files.writeString(options, "[client]\nuser=root\npassword=" + rootPassword + "\nsocket=" + server.socket() + "\n");
      Path file = dir.resolve("full-" + stamp + ".sql");
      List<String> cmd = new ArrayList<>(List.of(bin.dump().get().toString(), "--defaults-extra-file=" + options,
          "--single-transaction", "--routines", "--events", "--all-databases", "--result-file=" + file));
      if (bin.flavor() == ServerBinaries.Flavor.MARIADB) {
        cmd.add("--gtid");
        cmd.add("--master-data=2");
      }
      run(cmd, heartbeat, dir.resolve("backup.log"));
      return new Backup(file, Files.size(file), "mariadb-dump");
    } finally {
      Files.deleteIfExists(options);
    }
  }

  private static void run(List<String> cmd, Runnable heartbeat, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      while (!p.waitFor(1, TimeUnit.SECONDS)) {
        heartbeat.run();
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    if (p.exitValue() != 0) {
      throw new IOException(Path.of(cmd.get(0)).getFileName() + " failed with exit " + p.exitValue() + "; see " + log);
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}

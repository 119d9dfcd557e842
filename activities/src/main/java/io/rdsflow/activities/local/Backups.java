package io.rdsflow.activities.local;

import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.ServerBinaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A full backup of a node into the backup directory, {@code <backup.dir>/<instanceId>/full/<backupId>.xb.zst}: a
 * {@link PhysicalCopy} ({@code mariadb-backup}) whenever the server is MariaDB with {@code mariadb-backup} next to it;
 * only as a last resort a logical {@code mariadb-dump --single-transaction | zstd} ({@code <backupId>.sql.zst}, method
 * {@code mariadb-dump}). The password reaches the tools through a 0600 option file, never a command line.
 */
public final class Backups {
  public static final String PHYSICAL = "mariadb-backup";
  public static final String LOGICAL = "mariadb-dump";
  private static final Pattern DUMP_GTID = Pattern.compile("gtid_slave_pos\\s*=\\s*'([^']*)'");
  private static final Pattern DUMP_BINLOG = Pattern.compile("MASTER_LOG_FILE='([^']*)', MASTER_LOG_POS=([0-9]+)");

  /** A finished backup: its file, size, method, consistency point (GTID; binlog file and position or null) and SHA-256. */
  public record Backup(Path path, long bytes, String method, String gtid, String binlogFile, Long binlogPos, String sha256,
      Duration took) {}

  private Backups() {}

  /** The directory of an instance's full backups (its hosts share {@code backupDir}). */
  public static Path fullDir(Path backupDir, String instanceId) {
    return backupDir.resolve(instanceId).resolve("full");
  }

  /** The method {@link #full} uses for this server. */
  public static String method(ServerBinaries bin) {
    return bin.flavor() == ServerBinaries.Flavor.MARIADB && bin.backup().isPresent() ? PHYSICAL : LOGICAL;
  }

  /** Takes a full backup of {@code server} as {@code backupId} into {@code dir} (created 0700). */
  public static Backup full(MysqldServer server, String user, String password, Path dir, String backupId, Duration timeout,
      Runnable heartbeat) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Path log = server.home().resolve("log/backup.log");
    Files.createDirectories(log.getParent());
    if (method(server.binaries()).equals(PHYSICAL)) {
      PhysicalCopy.Copy c = PhysicalCopy.backup(server, user, password, dir.resolve(backupId + ".xb.zst"), log, timeout, heartbeat);
      return new Backup(c.file(), c.bytes(), PHYSICAL, c.gtid(), c.binlogFile(), c.binlogPos(), c.sha256(), c.took());
    }
    return dump(server, user, password, dir.resolve(backupId + ".sql.zst"), log, timeout, heartbeat);
  }

  /** The last resort: {@code mariadb-dump} (MySQL's {@code mysqldump}) piped through zstd; the GTID read from its header. */
  private static Backup dump(MysqldServer server, String user, String password, Path file, Path log, Duration timeout,
      Runnable heartbeat) throws IOException, InterruptedException {
    ServerBinaries bin = server.binaries();
    Path tool = bin.dump().orElseThrow(() -> new IllegalArgumentException("neither mariadb-backup nor mariadb-dump is next to "
        + bin.server()));
    long start = System.nanoTime();
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.deleteIfExists(part);
    Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Path options = PhysicalCopy.optionsFile(server, user, password);
    String sha256;
    try {
      Files.writeString(log, "");
      List<String> cmd = new ArrayList<>(List.of(tool.toString(), "--defaults-extra-file=" + options, "--socket=" + server.socket(),
          "--single-transaction", "--routines", "--events", "--all-databases"));
      if (bin.flavor() == ServerBinaries.Flavor.MARIADB) {
        cmd.add("--gtid");
      }
      cmd.add("--master-data=2");
      PhysicalCopy.run(List.of(
          new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())),
          new ProcessBuilder(PhysicalCopy.tool("zstd").toString(), "-q", "-1", "-c")
              .redirectOutput(ProcessBuilder.Redirect.to(part.toFile()))
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))),
          log, password, timeout, heartbeat);
      sha256 = PhysicalCopy.sha256(part, heartbeat);
    } finally {
      Files.deleteIfExists(options);
    }
    String header = header(part);
    Matcher g = DUMP_GTID.matcher(header);
    Matcher b = DUMP_BINLOG.matcher(header);
    boolean hasBinlog = b.find();
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Backup(file, Files.size(file), LOGICAL, g.find() ? g.group(1) : "", hasBinlog ? b.group(1) : null,
        hasBinlog ? Long.parseLong(b.group(2)) : null, sha256, Duration.ofNanos(System.nanoTime() - start));
  }

  /** The first 100 lines of a compressed dump (its position comments). */
  private static String header(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(PhysicalCopy.tool("zstd").toString(), "-q", "-dc", file.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    StringBuilder head = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      for (int i = 0; i < 100 && (line = r.readLine()) != null; i++) {
        head.append(line).append('\n');
      }
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
    return head.toString();
  }
}

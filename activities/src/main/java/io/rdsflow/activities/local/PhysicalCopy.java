package io.rdsflow.activities.local;

import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.ServerBinaries;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A physical copy of a running MariaDB node, for a rebuild and for a backup: taken as {@code mariadb-backup --backup
 * --stream=xbstream | zstd} into one file (zstd writes it; its SHA-256 read back once written), restored as {@code zstd -dc |
 * mbstream -x} and {@code mariadb-backup --prepare}. The tools run as processes with a timeout; their stderr goes to a log file whose tail a failure
 * quotes. The password reaches mariadb-backup only through a 0600 option file given as its first option
 * ({@code --defaults-extra-file}) and deleted afterwards; it is never on a command line or in a message.
 */
public final class PhysicalCopy {
  /**
   * A finished copy: the file, its size, the GTID position it is consistent at (and the binlog file and position
   * when the log names them, else null), the file's SHA-256 (hex), how long it took.
   */
  public record Copy(Path file, long bytes, String gtid, String binlogFile, Long binlogPos, String sha256, Duration took) {}

  private static final Pattern GTID_IN_LOG = Pattern.compile("GTID of the last change '([^']*)'");
  private static final Pattern BINLOG_IN_LOG = Pattern.compile("filename '([^']*)', position '([0-9]+)'");
  private static final String OPTIONS_PREFIX = ".rebuild-client-";
  private static final List<String> BINLOG_INFO = List.of("mariadb_backup_binlog_info", "xtrabackup_binlog_info");

  private PhysicalCopy() {}

  /**
   * Streams a copy of {@code server} (connected over its socket as {@code user}) into {@code file}
   * (written as {@code file.part}, renamed when complete, mode 0600).
   */
  public static Copy backup(MysqldServer server, String user, String password, Path file, Path log, Duration timeout,
      Runnable heartbeat) throws IOException, InterruptedException {
    ServerBinaries bin = server.binaries();
    if (bin.flavor() != ServerBinaries.Flavor.MARIADB) {
      throw new IllegalArgumentException("a physical copy is of MariaDB with mariadb-backup; " + bin.server() + " is MySQL "
          + bin.version());
    }
    Path backup = bin.backup()
        .orElseThrow(() -> new IllegalArgumentException("no mariadb-backup next to " + bin.server() + ": install mariadb-backup"));
    long start = System.nanoTime();
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.deleteIfExists(part);
    Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Path options = optionsFile(server, user, password);
    String sha256;
    try {
      Files.writeString(log, "");
      ProcessBuilder copy = new ProcessBuilder(backup.toString(), "--defaults-extra-file=" + options, "--backup",
          "--stream=xbstream", "--socket=" + server.socket(), "--datadir=" + server.dataDir(),
          "--target-dir=" + server.home().resolve("tmp"))
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // zstd writes the file itself (as a shell's '>' would: the 0600 file truncated): on two cores, carrying its
      // output through this JVM slowed the copy by a third (bench/backup); the file is hashed once written, from the cache
      ProcessBuilder compress = new ProcessBuilder(tool("zstd").toString(), "-q", "-1", "-c")
          .redirectOutput(ProcessBuilder.Redirect.to(part.toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      run(List.of(copy, compress), log, password, timeout, heartbeat);
      sha256 = sha256(part, heartbeat);
    } finally {
      Files.deleteIfExists(options);
    }
    String gtid = gtidInLog(log).orElseThrow(() -> new IOException("mariadb-backup reported no GTID position (is the binary log on?): "
        + tail(log, password)));
    Matcher binlog = BINLOG_IN_LOG.matcher(Files.readString(log));
    String binlogFile = null;
    Long binlogPos = null;
    while (binlog.find()) {
      binlogFile = binlog.group(1);
      binlogPos = Long.parseLong(binlog.group(2));
    }
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Copy(file, Files.size(file), gtid, binlogFile, binlogPos, sha256, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * A 0600 option file in the node's {@code tmp/} with the server's options and the client's user and password; the
   * caller deletes it. Option files a killed process left there are removed first.
   */
  static Path optionsFile(MysqldServer server, String user, String password) throws IOException {
    if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("the password cannot be written to an option file (it has a line break)");
    }
    Path options = server.home().resolve("tmp").resolve(OPTIONS_PREFIX + ProcessHandle.current().pid() + ".cnf");
    Files.createDirectories(options.getParent());
    try (var stale = Files.list(options.getParent())) {
      for (Path f : stale.filter(f -> f.getFileName().toString().startsWith(OPTIONS_PREFIX)).toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.createFile(options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(options, "!include " + server.configFile() + "\n[client]\nuser=" + quote(user) + "\npassword="
        + quote(password) + "\n", StandardCharsets.UTF_8);
    return options;
  }

  /** Extracts the copy into the empty directory {@code dir} and prepares it; returns the GTID position it holds. */
  public static String restore(ServerBinaries bin, Path file, Path dir, Path log, Duration timeout, Runnable heartbeat)
      throws IOException, InterruptedException {
    Path backup = bin.backup().orElseThrow(() -> new IllegalArgumentException("no mariadb-backup next to " + bin.server()));
    Path mbstream = Optional.of(backup.resolveSibling("mbstream")).filter(Files::isExecutable).orElseGet(() -> tool("mbstream"));
    Files.createDirectories(dir);
    Files.writeString(log, "");
    long deadline = System.nanoTime() + timeout.toNanos();
    run(List.of(
        new ProcessBuilder(tool("zstd").toString(), "-q", "-dc", file.toString())
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())),
        new ProcessBuilder(mbstream.toString(), "-x", "-C", dir.toString())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))),
        log, null, timeout, heartbeat);
    run(List.of(new ProcessBuilder(backup.toString(), "--prepare", "--target-dir=" + dir)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))),
        log, null, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), heartbeat);
    return gtidOf(dir).orElseThrow(() -> new IOException("the prepared copy in " + dir + " names no GTID position ("
        + String.join(", ", BINLOG_INFO) + ")"));
  }

  /** The GTID position in a prepared copy's binlog info file ({@code file position gtid}). */
  public static Optional<String> gtidOf(Path dir) throws IOException {
    for (String name : BINLOG_INFO) {
      Path info = dir.resolve(name);
      if (Files.exists(info)) {
        String[] fields = Files.readString(info).trim().split("\t");
        return Optional.of(fields.length >= 3 ? fields[2].trim() : "");
      }
    }
    return Optional.empty();
  }

  static Optional<String> gtidInLog(Path log) throws IOException {
    Matcher m = GTID_IN_LOG.matcher(Files.readString(log));
    String found = null;
    while (m.find()) {
      found = m.group(1);
    }
    return Optional.ofNullable(found);
  }

  /** Runs a pipeline to its end: every process must exit 0 within the timeout, or all are killed. */
  static void run(List<ProcessBuilder> pipeline, Path log, String secret, Duration timeout, Runnable heartbeat)
      throws IOException, InterruptedException {
    List<Process> processes = pipeline.size() == 1 ? List.of(pipeline.get(0).start()) : ProcessBuilder.startPipeline(pipeline);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (int i = 0; i < processes.size(); i++) {
        while (!processes.get(i).waitFor(1, TimeUnit.SECONDS)) {
          if (System.nanoTime() > deadline) {
            throw new IOException(name(pipeline.get(i)) + " did not finish within " + timeout.toSeconds() + " s: "
                + tail(log, secret));
          }
          heartbeat.run();
        }
      }
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < processes.size(); i++) {
        if (processes.get(i).exitValue() != 0) {
          failed.add(name(pipeline.get(i)) + " exited with " + processes.get(i).exitValue());
        }
      }
      if (!failed.isEmpty()) {
        throw new IOException(String.join(", ", failed) + ": " + tail(log, secret));
      }
    } finally {
      for (Process p : processes) {
        if (p.isAlive()) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** The SHA-256 (hex) of a file, read in 1 MiB chunks. */
  public static String sha256(Path file, Runnable heartbeat) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 20];
    long read = 0;
    try (var in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        if ((read += n) % (256L << 20) < n) {
          heartbeat.run();
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String name(ProcessBuilder b) {
    return Path.of(b.command().get(0)).getFileName().toString();
  }

  /** The last lines of a tool's log for an error message, any secret masked (none is expected there). */
  static String tail(Path log, String secret) {
    String tail = MysqldServer.tail(log);
    return secret == null || secret.isEmpty() ? tail : tail.replace(secret, "****");
  }

  /** An option file value: quoted, backslash and quote escaped. */
  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static Path tool(String name) {
    for (Path dir : ServerBinaries.searchPath(null)) {
      Path p = dir.resolve(name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalArgumentException(name + " is not installed on this host (a physical copy needs it)");
  }
}

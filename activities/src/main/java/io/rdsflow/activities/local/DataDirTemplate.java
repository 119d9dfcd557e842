package io.rdsflow.activities.local;

import io.rdsflow.mysqld.FileTrees;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.ServerBinaries;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A pristine data directory per server binary and init-time setting, made once per host with
 * {@code mariadb-install-db} plus the time zone tables, and copied for every new node: initialising a
 * node then costs a copy instead of a bootstrap run and a time zone load, and no node writes time zone
 * rows to its binlog for the other to replay. The copy is byte-for-byte what install-db wrote; MySQL's
 * {@code auto.cnf} (the server UUID) is left out so every node gets its own. A node's copy counts only
 * once {@link #COPIED} is written, so a copy cut short by a crash is made again.
 */
public final class DataDirTemplate {
  /** In a node's home: its data directory is a complete copy of the template. */
  public static final String COPIED = ".datadir-copied";
  /** The file lock serialises processes; this serialises the threads of one (two nodes of a pair on one host). */
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private DataDirTemplate() {}

  public static boolean isCopied(MysqldServer node) {
    return Files.exists(node.home().resolve(COPIED)) && node.isInitialized();
  }

  /** Fills {@code dataDir} (emptied first) from the template, creating the template first when needed. */
  public static String initialize(HostContext host, MysqldServer node, Map<String, String> params, Runnable heartbeat)
      throws IOException, SQLException, InterruptedException {
    ServerBinaries bin = node.binaries();
    String lctn = params.getOrDefault("lower_case_table_names", "0");
    Optional<Path> tzTool = TimeZones.available() ? bin.tzinfoToSql() : Optional.empty();
    String key = bin.flavor().name().toLowerCase() + "-" + bin.version() + "-lctn" + lctn + (tzTool.isPresent() ? "-tz" : "")
        + "-" + Integer.toHexString(bin.server().toString().hashCode());
    Path home = host.baseDir().resolve(".templates").resolve(key);
    Files.createDirectories(home);
    String how;
    ReentrantLock threads = IN_PROCESS.computeIfAbsent(home, k -> new ReentrantLock());
    threads.lock();
    try (RandomAccessFile raf = new RandomAccessFile(home.resolve(".lock").toFile(), "rw");
        FileChannel ch = raf.getChannel();
        FileLock lock = ch.lock()) {
      Path ready = home.resolve(".ready");
      if (!Files.exists(ready)) {
        make(bin, home, lctn, tzTool, heartbeat);
        Files.writeString(ready, bin.version());
        how = "ran " + bin.installDb().getFileName() + (tzTool.isPresent() ? " and loaded the time zones" : "")
            + " for the host's template, copied it";
      } else {
        how = "copied the host's pristine " + bin.flavor() + " " + bin.version() + " data directory"
            + (tzTool.isPresent() ? " (time zones included)" : "");
      }
    } finally {
      threads.unlock();
    }
    Files.deleteIfExists(node.home().resolve(COPIED));
    FileTrees.empty(node.dataDir());
    copy(home.resolve("data"), node.dataDir());
    Files.deleteIfExists(node.dataDir().resolve("auto.cnf"));
    if (!node.isInitialized()) {
      throw new IOException("the template copy in " + node.dataDir() + " has no system tables");
    }
    Files.writeString(node.home().resolve(COPIED), key + "\n");
    return how;
  }

  /** install-db, then the time zone tables through a short-lived server on a socket only (no binlog). */
  private static void make(ServerBinaries bin, Path home, String lctn, Optional<Path> tzTool, Runnable heartbeat)
      throws IOException, SQLException, InterruptedException {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("lower_case_table_names", lctn);
    settings.put("skip-networking", "");
    MysqldServer template = new MysqldServer(bin, home, 1, "127.0.0.1", settings);
    template.stop(Duration.ofSeconds(30)); // one left by a crash while the template was being made
    template.writeConfig();
    FileTrees.empty(template.dataDir());
    template.initialize();
    if (tzTool.isEmpty()) {
      return;
    }
    heartbeat.run();
    long pid = template.spawn();
    try {
      try (Connection c = awaitSocket(template, pid)) {
        TimeZones.load(tzTool.get(), c, heartbeat);
      }
    } finally {
      template.stop(Duration.ofMinutes(1));
    }
  }

  private static Connection awaitSocket(MysqldServer server, long pid) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      try {
        return NodeSql.root(server, ""); // the template's root has no password; the script needs multi-queries
      } catch (SQLException e) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || System.nanoTime() > deadline) {
          throw new IOException("the template server in " + server.home() + " did not start: " + MysqldServer.tail(server.errorLog()));
        }
        Thread.sleep(50);
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path src : files.toList()) {
        Path dst = to.resolve(from.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}

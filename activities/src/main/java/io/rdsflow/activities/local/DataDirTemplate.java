package io.rdsflow.activities.local;

import io.rdsflow.activities.mysqld.MysqldServer;
import io.rdsflow.activities.mysqld.ServerBinaries;
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
 * {@code mariadb-install-db} and copied for every new node: initialising a node then costs a copy
 * instead of a bootstrap run. The copy is byte-for-byte what install-db would have written; MySQL's
 * {@code auto.cnf} (the server UUID) is left out so every node gets its own.
 */
public final class DataDirTemplate {
  private DataDirTemplate() {}

  /** Fills {@code dataDir} (empty) from the template, creating the template first when needed. */
  public static String initialize(HostContext host, MysqldServer node, Map<String, String> params) throws IOException {
    ServerBinaries bin = node.binaries();
    String lctn = params.getOrDefault("lower_case_table_names", "0");
    String key = bin.flavor().name().toLowerCase() + "-" + bin.version() + "-lctn" + lctn + "-"
        + Integer.toHexString(bin.server().toString().hashCode());
    Path home = host.baseDir().resolve(".templates").resolve(key);
    Files.createDirectories(home);
    String how;
    try (RandomAccessFile raf = new RandomAccessFile(home.resolve(".lock").toFile(), "rw");
        FileChannel ch = raf.getChannel();
        FileLock lock = ch.lock()) {
      Path ready = home.resolve(".ready");
      if (!Files.exists(ready)) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("lower_case_table_names", lctn);
        MysqldServer template = new MysqldServer(bin, home, 1, "127.0.0.1", settings);
        template.writeConfig();
        FileTrees.empty(template.dataDir());
        template.initialize();
        Files.writeString(ready, bin.version());
        how = "ran " + bin.installDb().getFileName() + " for the host's template, copied it";
      } else {
        how = "copied the host's pristine " + bin.flavor() + " " + bin.version() + " data directory";
      }
    }
    copy(home.resolve("data"), node.dataDir());
    Files.deleteIfExists(node.dataDir().resolve("auto.cnf"));
    if (!node.isInitialized()) {
      throw new IOException("the template copy in " + node.dataDir() + " has no system tables");
    }
    return how;
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

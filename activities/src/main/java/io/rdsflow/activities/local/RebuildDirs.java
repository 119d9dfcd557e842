package io.rdsflow.activities.local;

import io.rdsflow.mysqld.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directories of a rebuild. The copy waits in the instance's staging directory
 * {@code <baseDir>/<instanceId>/.rebuild} (mode 0700, shared by the hosts); on the rebuilt node the data,
 * binlog and relay directories are moved aside to {@code before-rebuild/} (kept until the node replicates,
 * so a retried step finds them there), and the copy is extracted into {@code data-rebuilding/} before it
 * becomes the data directory. Every method is safe to repeat.
 */
public final class RebuildDirs {
  public static final String STAGING = ".rebuild";
  public static final String ASIDE = "before-rebuild";
  public static final String INCOMING = "data-rebuilding";
  private static final List<String> REPLACED = List.of("data", "binlog", "relay");
  /** Replication settings a copy of the writer may carry: its own replication must not start on the rebuilt node. */
  private static final List<String> REPLICATION_INFO = List.of("master.info", "relay-log.info", "multi-master.info");

  private RebuildDirs() {}

  public static Path staging(Path baseDir, String instanceId) {
    return baseDir.resolve(instanceId).resolve(STAGING);
  }

  /** Creates the staging directory (0700) and removes copies other operations left there (failed rebuilds). */
  public static Path prepareStaging(Path baseDir, String instanceId, String operationId) throws IOException {
    Path dir = staging(baseDir, instanceId);
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(operationId + ".")).toList()) {
        Files.deleteIfExists(f);
      }
    }
    return dir;
  }

  /**
   * Moves the node's data, binlog and relay directories aside (its server stopped); what an earlier attempt
   * left in their place is removed. Returns the empty directory to extract the copy into.
   */
  public static Path moveAside(Path home) throws IOException {
    Path aside = home.resolve(ASIDE);
    Files.createDirectories(aside);
    for (String d : REPLACED) {
      if (Files.exists(aside.resolve(d))) {
        FileTrees.delete(home.resolve(d)); // moved aside by an earlier attempt: what is here is that attempt's
      } else if (Files.exists(home.resolve(d))) {
        Files.move(home.resolve(d), aside.resolve(d), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Path incoming = home.resolve(INCOMING);
    FileTrees.delete(incoming);
    return incoming;
  }

  /** The prepared copy becomes the data directory, with the old one's permissions and without the writer's replication. */
  public static void install(Path home, Path dataDir) throws IOException {
    Path incoming = home.resolve(INCOMING);
    for (String info : REPLICATION_INFO) {
      Files.deleteIfExists(incoming.resolve(info));
    }
    Path oldData = home.resolve(ASIDE).resolve("data");
    Files.setPosixFilePermissions(incoming, Files.exists(oldData) ? Files.getPosixFilePermissions(oldData)
        : PosixFilePermissions.fromString("rwxr-x---"));
    Files.move(incoming, dataDir, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The node replicates: its old directories, the copy and an empty staging directory go. */
  public static void cleanUp(Path home, Path copy) throws IOException {
    FileTrees.delete(home.resolve(ASIDE));
    Files.deleteIfExists(copy);
    try (Stream<Path> files = Files.list(copy.getParent())) {
      if (files.findAny().isEmpty()) {
        Files.delete(copy.getParent());
      }
    }
  }
}

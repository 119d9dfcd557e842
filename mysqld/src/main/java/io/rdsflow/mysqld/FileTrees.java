package io.rdsflow.mysqld;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing directory trees: node directories, data directories, test directories. */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code root} and everything under it; a missing root is fine. */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Leaves {@code dir} existing and empty. */
  public static void empty(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path p : children.toList()) {
        delete(p);
      }
    }
  }
}

package io.rdsflow.activities.proxy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/** Serialises the changes to one proxy directory: between threads of this JVM and against other processes. */
final class HomeLock {
  private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

  interface IoAction {
    void run() throws IOException;
  }

  private HomeLock() {}

  static void run(Path home, IoAction action) throws IOException {
    synchronized (MONITORS.computeIfAbsent(home, h -> new Object())) {
      Files.createDirectories(home);
      try (FileChannel ch = FileChannel.open(home.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        action.run();
      }
    }
  }
}

package io.rdsflow.activities.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's {@code instance.conf} (seed: {@code /usr/local/rds/var/instance.conf}): one line
 * {@code <port> = 1} per instance node, read by inspection tools. Edited under a file lock, since
 * several steps of several instances write it.
 */
public final class InstanceConfFile {
  private InstanceConfFile() {}

  public static boolean add(Path file, int port) throws IOException {
    return edit(file, port, true);
  }

  public static boolean remove(Path file, int port) throws IOException {
    return Files.exists(file) && edit(file, port, false);
  }

  private static synchronized boolean edit(Path file, int port, boolean add) throws IOException {
    Files.createDirectories(file.getParent());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
        FileChannel ch = raf.getChannel();
        FileLock lock = ch.lock()) {
      byte[] bytes = new byte[(int) raf.length()];
      raf.readFully(bytes);
      List<String> lines = new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
      String line = port + " = 1";
      boolean present = lines.contains(line);
      if (add == present) {
        return false;
      }
      if (add) {
        lines.add(line);
      } else {
        lines.remove(line);
      }
      byte[] out = (String.join("\n", lines) + (lines.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
      raf.setLength(0);
      raf.write(out);
      return true;
    }
  }

  public static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }
}

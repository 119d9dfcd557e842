package io.rdsflow.activities.local;

import io.rdsflow.mysqld.MysqldServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A point-in-time replay: the transactions of archived binlogs after a GTID position (a backup's) and before an
 * instant are applied to a running server, as {@code mariadb-binlog --start-position=<gtid> --stop-datetime=<t>
 * <files> | mariadb} as root over the server's socket. The stop time is given in UTC and mariadb-binlog runs with
 * {@code TZ=UTC} (it reads the time in its own zone; binlog events carry UTC epoch seconds), so the server's time zone
 * does not matter. An event stamped in the second of the instant or later is not applied: events carry whole
 * seconds. The transactions keep their GTIDs. The password reaches the client through a 0600 option file only.
 */
public final class BinlogReplay {
  private static final DateTimeFormatter STOP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private BinlogReplay() {}

  /** Applies {@code files} (in order) after {@code startGtid} (blank: from their start) and before {@code stopAt}. */
  public static Duration replay(MysqldServer server, String rootPassword, List<Path> files, String startGtid, Instant stopAt,
      Path log, Duration timeout, Runnable heartbeat) throws IOException, InterruptedException {
    long start = System.nanoTime();
    if (files.isEmpty()) {
      return Duration.ZERO;
    }
    List<String> read = new ArrayList<>(List.of(PhysicalCopy.tool("mariadb-binlog").toString(), "--skip-gtid-strict-mode",
        "--stop-datetime=" + STOP.format(stopAt)));
    if (startGtid != null && !startGtid.isBlank()) {
      read.add("--start-position=" + startGtid);
    }
    files.forEach(f -> read.add(f.toString()));
    ProcessBuilder binlog = new ProcessBuilder(read).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    binlog.environment().put("TZ", "UTC");
    Files.writeString(log, "");
    Path options = PhysicalCopy.optionsFile(server, "root", rootPassword);
    try {
      ProcessBuilder apply = new ProcessBuilder(PhysicalCopy.tool("mariadb").toString(), "--defaults-extra-file=" + options,
          "--socket=" + server.socket(), "--binary-mode", "--batch")
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      PhysicalCopy.run(List.of(binlog, apply), log, rootPassword, timeout, heartbeat);
    } finally {
      Files.deleteIfExists(options);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}

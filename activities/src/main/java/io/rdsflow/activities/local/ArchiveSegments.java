package io.rdsflow.activities.local;

import io.rdsflow.activities.meta.BinlogArchiveDao;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The archived binlogs a point-in-time replay reads, in runs of one node's files. The archive follows the serving
 * master, so after a switchover the next run comes from the other node, and its first file repeats transactions the
 * run before it held (replicated to that node too): each run is replayed after the GTID position the server reached
 * with the runs before it, so a repeated transaction is skipped, not applied twice.
 */
public final class ArchiveSegments {
  private ArchiveSegments() {}

  /**
   * The files that may hold transactions after {@code from} (the backup's start; older files end before it) and before
   * {@code until}, grouped in runs of one node, oldest first.
   */
  public static List<List<Path>> between(List<BinlogArchiveDao.Archived> archive, Instant from, Instant until) {
    List<BinlogArchiveDao.Archived> files = archive.stream()
        .filter(a -> a.lastEventAt() >= from.getEpochSecond() - 1 && a.firstEventAt() <= until.getEpochSecond())
        .sorted(Comparator.comparingLong(BinlogArchiveDao.Archived::firstEventAt)
            .thenComparingLong(BinlogArchiveDao.Archived::lastEventAt))
        .toList();
    List<List<Path>> runs = new ArrayList<>();
    String node = null;
    for (BinlogArchiveDao.Archived a : files) {
      if (!a.node().equals(node)) {
        runs.add(new ArrayList<>());
        node = a.node();
      }
      runs.get(runs.size() - 1).add(Path.of(a.path()));
    }
    return runs;
  }
}

package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.BinlogFile;
import io.rdsflow.activities.meta.BinlogArchiveDao;
import io.rdsflow.workflows.activities.BinlogArchiver;
import io.rdsflow.workflows.archive.ArchiveInput;
import io.rdsflow.workflows.archive.ArchiveRound;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.StepInput;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One round of the binlog archive on the serving master's host: rotates the current binlog once its first
 * transaction is {@code flushAfterSeconds} old ({@code FLUSH LOCAL BINARY LOGS}), then copies every closed binlog
 * not archived yet to {@code <archiveRoot>/<instanceId>/binlog/<node>/<opened epoch>.<file>} (written as
 * {@code .part}, fsynced, renamed, mode 0600) and records it with its event times, Gtid_list, size and sha256.
 */
public final class BinlogArchiverImpl implements BinlogArchiver {
  private final NodeAccess access;
  private final BinlogArchiveDao archive;

  public BinlogArchiverImpl(NodeAccess access, BinlogArchiveDao archive) {
    this.access = access;
    this.archive = archive;
  }

  @Override
  public ArchiveRound archiveBinlogs(ArchiveInput in, Role node) {
    NodeContext ctx = access.load(new StepInput(in.instanceId(), "binlog-archive-" + in.instanceId(), 0,
        "rdsflow_archive_binlogs", node));
    Path binlogDir = ctx.server().home().resolve("binlog");
    Path target = Path.of(in.archiveRoot()).resolve(in.instanceId()).resolve("binlog").resolve(node.wire());
    try (Connection c = ctx.root()) {
      boolean flushed = false;
      BinlogFile current = BinlogFile.read(binlogDir.resolve(currentBinlog(c)), true);
      if (current.hasData() && System.currentTimeMillis() / 1000 - current.firstDataAt() >= in.flushAfterSeconds()) {
        try (Statement s = c.createStatement()) {
          s.execute("FLUSH LOCAL BINARY LOGS");
        }
        flushed = true;
      }
      String open = currentBinlog(c);
      Set<String> done = archive.list(in.instanceId()).stream().map(BinlogArchiveDao.Archived::key).collect(Collectors.toSet());
      int copied = 0;
      for (String name : binlogs(c)) {
        if (name.equals(open)) {
          continue;
        }
        Path file = binlogDir.resolve(name);
        if (!Files.exists(file)) {
          continue; // purged meanwhile
        }
        BinlogFile b = BinlogFile.read(file, false);
        BinlogArchiveDao.Archived a = new BinlogArchiveDao.Archived(in.instanceId(), node.wire(), name, null, b.openedAt(),
            b.lastEventAt(), b.gtidStart(), b.bytes(), null);
        if (done.contains(a.key())) {
          continue;
        }
        Path dest = target.resolve(b.openedAt() + "." + name);
        String sha = copy(file, dest);
        archive.record(new BinlogArchiveDao.Archived(a.instanceId(), a.node(), name, dest.toString(), b.openedAt(),
            b.lastEventAt(), b.gtidStart(), Files.size(dest), sha));
        copied++;
        Activity.getExecutionContext().heartbeat(copied);
      }
      return new ArchiveRound(copied, flushed, archive.latest(in.instanceId()).orElse(null));
    } catch (SQLException | IOException e) {
      throw ApplicationFailure.newFailure("binlog archive of " + in.instanceId() + " (node " + node.wire() + "): "
          + e.getMessage(), "ArchiveFailed");
    }
  }

  private static String currentBinlog(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      if (!rs.next()) {
        throw new SQLException("the binary log is off");
      }
      return rs.getString(1);
    }
  }

  private static List<String> binlogs(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /** Copies {@code from} to {@code to} durably (part file, fsync, atomic rename, directory fsync); returns its sha256. */
  static String copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Path part = to.resolveSibling(to.getFileName() + ".part");
    Files.deleteIfExists(part);
    Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream src = new DigestInputStream(Files.newInputStream(from), sha);
         FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE);
         OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
      src.transferTo(out);
      ch.force(true);
    }
    Files.move(part, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}

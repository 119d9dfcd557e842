package io.rdsflow.activities.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the binlog archive needs to know of one MariaDB binlog file, read from its event headers (v4: timestamp,
 * type, server id, length, next position, flags): when it was opened (its format description event), when its
 * first and last transaction events were written, and its Gtid_list (the GTID position before its first
 * transaction). Event times are the server's clock as epoch seconds: UTC whatever the server's time zone.
 * A file still being written may end in a partial event; reading stops there.
 */
public record BinlogFile(long openedAt, Long firstDataAt, long lastEventAt, String gtidStart, long bytes) {
  private static final int HEADER = 19;
  private static final int FORMAT_DESCRIPTION = 15;
  private static final int GTID_LIST = 163;
  /**
   * Events every binlog has whether or not anything was written, not transactions: stop, rotate, format description,
   * MariaDB's binlog checkpoint, Gtid_list and start encryption, MySQL's previous GTIDs.
   */
  private static final Set<Integer> HOUSEKEEPING = Set.of(3, 4, FORMAT_DESCRIPTION, 35, 161, GTID_LIST, 164);

  /** Whether the file holds any transaction. */
  public boolean hasData() {
    return firstDataAt != null;
  }

  /** Reads the file's events; with {@code untilFirstData} it stops at the first transaction event (cheap on a large file). */
  public static BinlogFile read(Path file, boolean untilFirstData) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer magic = ByteBuffer.allocate(4);
      ch.read(magic, 0);
      if (magic.array()[0] != (byte) 0xfe || magic.array()[1] != 'b' || magic.array()[2] != 'i' || magic.array()[3] != 'n') {
        throw new IOException(file + " is not a binlog file");
      }
      ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      long pos = 4;
      long opened = -1;
      long last = -1;
      Long firstData = null;
      String gtid = null;
      while (pos + HEADER <= size) {
        header.clear();
        if (ch.read(header, pos) < HEADER) {
          break;
        }
        long ts = Integer.toUnsignedLong(header.getInt(0));
        int type = header.get(4) & 0xff;
        long length = Integer.toUnsignedLong(header.getInt(9));
        if (length < HEADER || pos + length > size) {
          break; // partial event at the end of a file being written
        }
        if (type == FORMAT_DESCRIPTION && opened < 0) {
          opened = ts;
        } else if (type == GTID_LIST && gtid == null) {
          gtid = gtidList(ch, pos + HEADER, length - HEADER);
        } else if (!HOUSEKEEPING.contains(type) && firstData == null) {
          firstData = ts;
          if (untilFirstData) {
            last = Math.max(last, ts);
            break;
          }
        }
        last = Math.max(last, ts);
        pos += length;
      }
      if (opened < 0) {
        throw new IOException(file + " has no format description event");
      }
      return new BinlogFile(opened, firstData, last, gtid, size);
    }
  }

  /** A Gtid_list event body: count (low 28 bits), then domain, server id, sequence number per domain. */
  private static String gtidList(FileChannel ch, long at, long length) throws IOException {
    ByteBuffer body = ByteBuffer.allocate((int) Math.min(length, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
    ch.read(body, at);
    body.flip();
    if (body.remaining() < 4) {
      return "";
    }
    int count = body.getInt() & 0x0fffffff;
    List<String> gtids = new ArrayList<>();
    for (int i = 0; i < count && body.remaining() >= 16; i++) {
      long domain = Integer.toUnsignedLong(body.getInt());
      long server = Integer.toUnsignedLong(body.getInt());
      long seq = body.getLong();
      gtids.add(domain + "-" + server + "-" + Long.toUnsignedString(seq));
    }
    return String.join(",", gtids);
  }
}

package io.rdsflow.service.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Bytes held as a list of arrays, read back in order: written as an {@link OutputStream} (copied into chunks of at
 * most {@link #CHUNK} bytes), or {@link #add added} by reference (arrays nobody modifies: a target's rendered lines).
 * Why not one array: the exposition of a large fleet is several MB, and one array that size is a humongous object for
 * G1 (half a region or more: 2 MB with the 4 MB regions of a default heap), allocated outside the young generation.
 * Re-made every second while targets are collected, such arrays, and then copies of the targets' lines that lived
 * long enough to be promoted, made the default JVM grow its heap by hundreds of MB under scraping (bench/collection).
 * Once sealed, the bytes never change, and their gzip is made once, on first request.
 */
public final class ByteChunks extends OutputStream {
  static final int CHUNK = 512 * 1024;
  public static final ByteChunks EMPTY = new ByteChunks().seal();

  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current;
  private int used;
  private long length;
  private boolean sealed;
  private ByteChunks gzip;

  @Override
  public void write(int b) {
    room();
    current[used++] = (byte) b;
    length++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      room();
      int n = Math.min(len, current.length - used);
      System.arraycopy(b, off, current, used, n);
      used += n;
      off += n;
      len -= n;
      length += n;
    }
  }

  /** Appends {@code piece} itself, not a copy: it must never change afterwards. */
  public void add(byte[] piece) {
    if (sealed) {
      throw new IllegalStateException("sealed");
    }
    cutCurrent();
    chunks.add(piece);
    length += piece.length;
  }

  private void cutCurrent() {
    if (current != null && used < current.length) {
      chunks.set(chunks.size() - 1, Arrays.copyOf(current, used));
    }
    current = null;
  }

  private void room() {
    if (sealed) {
      throw new IllegalStateException("sealed");
    }
    if (current == null || used == current.length) {
      current = new byte[CHUNK];
      chunks.add(current);
      used = 0;
    }
  }

  /** One sealed piece: {@code bytes} itself. */
  public static ByteChunks of(byte[] bytes) {
    ByteChunks c = new ByteChunks();
    c.add(bytes);
    return c.seal();
  }

  /**
   * These bytes as one gzip member at {@link Deflater#BEST_SPEED} (the exposition's repetitive lines still shrink to
   * ~6 %, ~4 % at the default level, in a fraction of the time), made on the first call and kept.
   */
  public synchronized ByteChunks gzip() {
    if (!sealed) {
      throw new IllegalStateException("not sealed");
    }
    if (gzip == null) {
      ByteChunks out = new ByteChunks();
      try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024) {
        {
          def.setLevel(Deflater.BEST_SPEED);
        }
      }) {
        writeTo(gz);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a ByteChunks does not throw
      }
      gzip = out.seal();
    }
    return gzip;
  }

  /** Ends the writing: the last chunk is cut to what was written; from now on the bytes only are read. */
  public ByteChunks seal() {
    cutCurrent();
    sealed = true;
    return this;
  }

  public long length() {
    return length;
  }

  /** Writes every byte, in order, to {@code out} (many small pieces: give it a buffered stream). */
  public void writeTo(OutputStream out) throws IOException {
    if (!sealed) {
      throw new IllegalStateException("not sealed");
    }
    for (byte[] c : chunks) {
      out.write(c);
    }
  }

  /** All bytes in one array; for tests and tools, never on the scrape path. */
  public byte[] toByteArray() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) length);
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

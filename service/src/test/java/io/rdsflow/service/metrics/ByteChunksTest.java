package io.rdsflow.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * ByteChunks keeps every byte in order across chunk boundaries and pieces added by reference, its copied chunks no
 * larger than CHUNK (never humongous).
 */
class ByteChunksTest {
  @Test
  void writesAcrossChunkBoundariesReadBackInOrder() throws Exception {
    Random random = new Random(42);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    ByteChunks chunks = new ByteChunks();
    while (expected.size() < 3 * ByteChunks.CHUNK + 1234) {
      byte[] piece = new byte[random.nextInt(3) == 0 ? ByteChunks.CHUNK + 17 : random.nextInt(300)];
      random.nextBytes(piece);
      int off = piece.length > 10 ? 5 : 0;
      chunks.write(piece, off, piece.length - off);
      expected.write(piece, off, piece.length - off);
      chunks.write(piece.length & 0xff);
      expected.write(piece.length & 0xff);
      if (random.nextInt(4) == 0) { // a piece by reference, between copied bytes
        byte[] shared = new byte[random.nextInt(2000)];
        random.nextBytes(shared);
        chunks.add(shared);
        expected.write(shared);
      }
    }
    chunks.seal();
    assertThat(chunks.length()).isEqualTo(expected.size());
    assertThat(chunks.toByteArray()).isEqualTo(expected.toByteArray());
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    chunks.writeTo(new java.io.FilterOutputStream(written) {
      @Override
      public void write(byte[] b, int off, int len) {
        assertThat(len).isLessThanOrEqualTo(ByteChunks.CHUNK);
        written.write(b, off, len);
      }
    });
    assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
    assertThatThrownBy(() -> chunks.write(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void gzipOfChunksIsOneMemberOfTheSameBytes() throws Exception {
    ByteChunks text = new ByteChunks();
    byte[] line = "rds_up{instance_id=\"ä-1\",} 1.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < 60_000; i++) {
      text.write(line, 0, line.length);
    }
    text.seal();
    byte[] gz = text.gzip().toByteArray();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(text.toByteArray());
    }
    assertThat(ByteChunks.EMPTY.length()).isZero();
    assertThat(ByteChunks.EMPTY.gzip().length()).isPositive();
    assertThat(text.gzip()).as("made once, then kept").isSameAs(text.gzip());
  }
}

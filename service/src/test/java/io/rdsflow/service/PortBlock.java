package io.rdsflow.service;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A block of consecutive ports on 127.0.0.1, all free when it was taken, for the local engine's
 * {@code portRange} in tests instead of fixed ports. Blocks come from below Linux's ephemeral range
 * (32768-60999, where the kernel picks client ports), and no two blocks of one JVM overlap.
 */
record PortBlock(int first, int last) {
  private static final int LOW = 20000;
  private static final int HIGH = 32000;
  private static final BitSet TAKEN = new BitSet();

  /** A block of {@code size} consecutive ports that were all bindable on 127.0.0.1 a moment ago. */
  static PortBlock free(int size) {
    for (int tries = 0; tries < 500; tries++) {
      int first = ThreadLocalRandom.current().nextInt(LOW, HIGH - size + 1);
      synchronized (TAKEN) {
        if (TAKEN.get(first, first + size).isEmpty() && bindable(first, size)) {
          TAKEN.set(first, first + size);
          return new PortBlock(first, first + size - 1);
        }
      }
    }
    throw new IllegalStateException("no " + size + " consecutive free ports on 127.0.0.1 between " + LOW + " and " + HIGH);
  }

  /** Binds every port of the block, then lets go of them. */
  private static boolean bindable(int first, int size) {
    List<ServerSocket> held = new ArrayList<>(size);
    try {
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      for (int port = first; port < first + size; port++) {
        ServerSocket s = new ServerSocket();
        held.add(s);
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(loopback, port), 1);
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a listener we just opened
        }
      }
    }
  }

  /** {@code first-last}, the format of {@code localEngine.portRange}. */
  String range() {
    return first + "-" + last;
  }

  boolean contains(int port) {
    return port >= first && port <= last;
  }
}

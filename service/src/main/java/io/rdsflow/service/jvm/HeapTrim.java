package io.rdsflow.service.jvm;

import io.dropwizard.lifecycle.Managed;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back heap that a burst made the JVM commit and nothing uses any more ({@code memory.trimHeap}, on by default).
 *
 * <p>Why: with default JVM settings on a large machine (max heap a quarter of RAM: 6 GB on 24 GB), G1 counts a heap of a
 * few hundred MB as small and grows it whenever GC pauses take more than 1 % of the time for a few collections, e.g.
 * while 1000 instances are registered at once. It gives memory back only at the end of a concurrent cycle or a full GC,
 * and with a live set of ~40 MB (bench/collection) the old generation may not reach the threshold of a concurrent
 * cycle for hours: the service stayed at the size of its busiest minute (540 MB of heap, 640 MB resident).
 *
 * <p>What: every {@code memory.trimCheckInterval}, when the G1 heap has committed at least {@link #FLOOR} and more than
 * {@link #FACTOR} times what its old generation and survivors hold (plus {@link #HEADROOM}), a full collection
 * ({@code System.gc()}: ~0.1 s for such a live set) compacts it and G1 shrinks the heap to its
 * {@code MaxHeapFreeRatio}. At most one per {@link #MIN_GAP}; a collection that gives back less than a quarter of the
 * heap (e.g. an operator's {@code -Xms}) ends the trimming for the life of the process. Other collectors: nothing.
 */
public final class HeapTrim implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(HeapTrim.class);
  static final long MB = 1024 * 1024;
  static final long FLOOR = 192 * MB;
  static final long HEADROOM = 64 * MB;
  static final int FACTOR = 3;
  static final Duration MIN_GAP = Duration.ofMinutes(2);

  /** The heap as one check sees it. */
  record Heap(long committed, long oldAndSurvivors) {}

  private final Duration interval;
  private final java.util.function.Supplier<Optional<Heap>> heap;
  private final Runnable collect;
  private final LongSupplier clock;
  private ScheduledExecutorService timer;
  private long lastTrim = Long.MIN_VALUE / 2;
  private boolean ineffective;

  public HeapTrim(Duration interval) {
    this(interval, HeapTrim::g1Heap, System::gc, System::nanoTime);
  }

  HeapTrim(Duration interval, java.util.function.Supplier<Optional<Heap>> heap, Runnable collect, LongSupplier clock) {
    this.interval = interval;
    this.heap = heap;
    this.collect = collect;
    this.clock = clock;
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "heap-trim");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("Heap trim check failed: {}", e.toString());
    }
  }

  /** One check; true when it collected. */
  synchronized boolean check() {
    if (ineffective || clock.getAsLong() - lastTrim < MIN_GAP.toNanos()) {
      return false;
    }
    Optional<Heap> before = heap.get();
    if (before.isEmpty() || !oversized(before.get())) {
      return false;
    }
    lastTrim = clock.getAsLong();
    long started = System.nanoTime();
    collect.run();
    long after = heap.get().map(Heap::committed).orElse(before.get().committed());
    long millis = (System.nanoTime() - started) / 1_000_000;
    if (after > before.get().committed() * 3 / 4) {
      ineffective = true;
      LOG.info("Heap trim gave back little (committed {} MB, then {} MB, in {} ms): not trying again",
          before.get().committed() / MB, after / MB, millis);
    } else {
      LOG.info("Heap trimmed: committed {} MB, {} MB in the old generation and survivors; {} MB after a full GC of {} ms",
          before.get().committed() / MB, before.get().oldAndSurvivors() / MB, after / MB, millis);
    }
    return true;
  }

  static boolean oversized(Heap h) {
    return h.committed() >= FLOOR && h.committed() > FACTOR * h.oldAndSurvivors() + HEADROOM;
  }

  /** The G1 heap, or empty under another collector. */
  static Optional<Heap> g1Heap() {
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    if (pools.stream().noneMatch(p -> p.getName().equals("G1 Old Gen"))) {
      return Optional.empty();
    }
    long kept = 0;
    for (MemoryPoolMXBean p : pools) {
      if (p.getName().equals("G1 Old Gen") || p.getName().equals("G1 Survivor Space")) {
        kept += p.getUsage().getUsed();
      }
    }
    return Optional.of(new Heap(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(), kept));
  }
}

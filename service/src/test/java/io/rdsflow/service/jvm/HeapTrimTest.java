package io.rdsflow.service.jvm;

import static io.rdsflow.service.jvm.HeapTrim.MB;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When HeapTrim collects: an oversized G1 heap only, at most once per gap, never again after a useless collection. */
class HeapTrimTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger collections = new AtomicInteger();
  private final Deque<HeapTrim.Heap> readings = new ArrayDeque<>();

  private HeapTrim trim() {
    return new HeapTrim(Duration.ofSeconds(30), () -> Optional.ofNullable(readings.poll()), collections::incrementAndGet,
        now::get);
  }

  @Test
  void collectsAnOversizedHeapOncePerGap() {
    HeapTrim trim = trim();
    readings.add(new HeapTrim.Heap(540 * MB, 90 * MB)); // after the registration burst of bench/collection
    readings.add(new HeapTrim.Heap(136 * MB, 40 * MB));
    assertThat(trim.check()).isTrue();
    readings.add(new HeapTrim.Heap(540 * MB, 90 * MB));
    now.addAndGet(HeapTrim.MIN_GAP.toNanos() - 1);
    assertThat(trim.check()).as("within the gap").isFalse();
    now.addAndGet(1);
    readings.add(new HeapTrim.Heap(136 * MB, 40 * MB));
    assertThat(trim.check()).isTrue();
    assertThat(collections).hasValue(2);
  }

  @Test
  void leavesAHeapThatIsSmallOrMostlyUsed() {
    HeapTrim trim = trim();
    readings.add(new HeapTrim.Heap(180 * MB, 10 * MB)); // under the floor
    assertThat(trim.check()).isFalse();
    readings.add(new HeapTrim.Heap(400 * MB, 120 * MB)); // 3 x 120 + 64 > 400
    assertThat(trim.check()).isFalse();
    assertThat(readings).isEmpty(); // another collector: no reading
    assertThat(trim.check()).isFalse();
    assertThat(collections).hasValue(0);
  }

  @Test
  void stopsForGoodWhenACollectionGivesBackLittle() {
    HeapTrim trim = trim();
    readings.add(new HeapTrim.Heap(1024 * MB, 40 * MB)); // e.g. -Xms1g: the heap cannot shrink
    readings.add(new HeapTrim.Heap(1024 * MB, 30 * MB));
    assertThat(trim.check()).isTrue();
    now.addAndGet(HeapTrim.MIN_GAP.toNanos() * 10);
    readings.add(new HeapTrim.Heap(1024 * MB, 40 * MB));
    assertThat(trim.check()).isFalse();
    assertThat(collections).hasValue(1);
  }

  @Test
  void readsTheHeapOfThisJvm() {
    Optional<HeapTrim.Heap> heap = HeapTrim.g1Heap();
    assertThat(heap).as("the build runs on G1, the default collector").isPresent();
    assertThat(heap.get().committed()).isPositive();
    assertThat(heap.get().oldAndSurvivors()).isLessThanOrEqualTo(heap.get().committed());
  }
}

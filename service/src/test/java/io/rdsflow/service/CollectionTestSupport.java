package io.rdsflow.service;

import java.time.Duration;
import java.util.function.Predicate;

/** Polls /metrics until a condition holds. */
final class CollectionTestSupport {
  private CollectionTestSupport() {}

  static Metrics scrapeUntil(TestApp app, Predicate<Metrics> ready, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Metrics last = null;
    while (System.nanoTime() < deadline) {
      last = Metrics.parse(app.send("GET", "/metrics", null, null, null).body());
      if (ready.test(last)) {
        return last;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("metrics never became ready; rds series: "
        + (last == null ? "none" : last.series().stream().filter(s -> s.name().startsWith("rds")).toList()));
  }
}

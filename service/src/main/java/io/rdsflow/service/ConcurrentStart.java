package io.rdsflow.service;

import io.rdsflow.service.auth.PasswordHasher;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The parts of the start that need nothing from each other, run at once: the embedded Temporal service
 * starts while the metadata database boots, and the API users' PBKDF2 hashes are computed while the
 * encryption key is derived. The slowest chain, not the sum, then sets the time to the first
 * {@code /healthz} 200. A part that fails is rethrown as it was thrown, so the start fails with that
 * part's own message.
 */
final class ConcurrentStart implements AutoCloseable {
  /** What stops a part that started, e.g. {@code TemporalRuntime::stop}. */
  interface Stop<T> {
    void stop(T part) throws Exception;
  }

  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "rdsflow-start-" + threads.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  <T> Future<T> submit(Callable<T> part) {
    return pool.submit(part);
  }

  /** The part's result, or the exception it threw, unwrapped. */
  static <T> T await(Future<T> part) throws Exception {
    try {
      return part.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * For the list of what to close when the start fails: waits until the part is done and stops it if
   * it started; a part that failed has stopped what it had opened itself, and its failure is reported
   * by whoever awaits it (or was preceded by the failure being reported).
   */
  static <T> AutoCloseable stopWhenStarted(Future<T> part, Stop<T> stop) {
    return () -> {
      T started;
      try {
        started = part.get();
      } catch (ExecutionException failed) {
        return;
      }
      stop.stop(started);
    };
  }

  /**
   * Runs PBKDF2 once on a throwaway password in a background thread, started before Dropwizard reads the
   * configuration. The start derives the encryption key (210,000 iterations) and hashes API passwords
   * (120,000) on its critical path; a first derivation in a fresh JVM runs interpreted and takes about
   * 0.9 s for the key where a compiled one takes 0.1 s. Warmed up on the other core while the main thread
   * parses the configuration, the HMAC-SHA-256 code is compiled by the time the key is derived.
   */
  static void warmUpKeyDerivation() {
    Thread t = new Thread(() -> PasswordHasher.hash("warm-up"), "rdsflow-kdf-warm-up");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}

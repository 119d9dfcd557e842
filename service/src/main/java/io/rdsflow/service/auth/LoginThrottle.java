package io.rdsflow.service.auth;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Backs a client (a remote address) off after repeated failed logins, so that guessing passwords
 * neither goes fast nor keeps the CPUs busy with PBKDF2. The {@code failuresBeforeBlock}-th failure
 * blocks the client for {@code firstBlock}, each further one for twice as long up to {@code
 * maxBlock}; while blocked, its credentials are not even looked at. A client with no failure for
 * {@code forgetAfter} starts afresh. A successful login does not reset the count: one known password
 * (viewer's, say) must not buy unlimited guesses at another.
 */
public final class LoginThrottle {
  private static final int MAX_CLIENTS = 100_000;

  private static final class Client {
    int failures;
    long lastFailure;
    long blockedUntil;
  }

  private final int failuresBeforeBlock;
  private final long firstBlockNanos;
  private final long maxBlockNanos;
  private final long forgetAfterNanos;
  private final LongSupplier clock;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();

  public LoginThrottle(int failuresBeforeBlock, long firstBlockMillis, long maxBlockMillis, long forgetAfterMillis) {
    this(failuresBeforeBlock, firstBlockMillis, maxBlockMillis, forgetAfterMillis, System::nanoTime);
  }

  LoginThrottle(int failuresBeforeBlock, long firstBlockMillis, long maxBlockMillis, long forgetAfterMillis, LongSupplier clock) {
    this.failuresBeforeBlock = Math.max(1, failuresBeforeBlock);
    this.firstBlockNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, firstBlockMillis));
    this.maxBlockNanos = Math.max(firstBlockNanos, TimeUnit.MILLISECONDS.toNanos(maxBlockMillis));
    this.forgetAfterNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(forgetAfterMillis, maxBlockMillis));
    this.clock = clock;
  }

  /** Whole seconds the client must wait before its next login is looked at; empty when it may try now. */
  public OptionalLong retryAfterSeconds(String client) {
    Client c = clients.get(client);
    if (c == null) {
      return OptionalLong.empty();
    }
    long now = clock.getAsLong();
    synchronized (c) {
      long left = c.blockedUntil - now;
      return left > 0 ? OptionalLong.of(Math.max(1, (left + 999_999_999L) / 1_000_000_000L)) : OptionalLong.empty();
    }
  }

  /** Counts a failed login of the client. */
  public void failed(String client) {
    long now = clock.getAsLong();
    if (clients.size() >= MAX_CLIENTS) {
      forgetIdle(now);
    }
    Client c = clients.computeIfAbsent(client, k -> new Client());
    synchronized (c) {
      if (c.failures > 0 && now - c.lastFailure > forgetAfterNanos) {
        c.failures = 0;
      }
      c.failures++;
      c.lastFailure = now;
      if (c.failures >= failuresBeforeBlock) {
        long block = firstBlockNanos;
        for (int i = failuresBeforeBlock; i < c.failures && block < maxBlockNanos; i++) {
          block *= 2;
        }
        c.blockedUntil = now + Math.min(block, maxBlockNanos);
      }
    }
  }

  private void forgetIdle(long now) {
    clients.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        return now - e.getValue().lastFailure > forgetAfterNanos && now - e.getValue().blockedUntil > 0;
      }
    });
    if (clients.size() >= MAX_CLIENTS) {
      // a sweep of many addresses: rather than grow without bound, forget all that are not blocked now
      clients.entrySet().removeIf(e -> now - e.getValue().blockedUntil > 0);
    }
  }
}

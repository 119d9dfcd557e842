package io.rdsflow.testkit.aliyun;

import java.util.function.LongSupplier;

/**
 * A classic token bucket: {@code ratePerSecond} tokens are added per second up to
 * {@code capacity}; each call takes one token or is refused. Starts full. Thread safe.
 */
public final class TokenBucket {

    private final double ratePerSecond;
    private final double capacity;
    private final LongSupplier nanoTime;
    private double tokens;
    private long lastRefillNanos;

    public TokenBucket(double ratePerSecond, double capacity) {
        this(ratePerSecond, capacity, System::nanoTime);
    }

    TokenBucket(double ratePerSecond, double capacity, LongSupplier nanoTime) {
        if (ratePerSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("rate must be > 0 and capacity >= 1");
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = capacity;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.lastRefillNanos = nanoTime.getAsLong();
    }

    /** Takes one token if available. */
    public synchronized boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        double elapsedSeconds = (now - lastRefillNanos) / 1e9;
        if (elapsedSeconds > 0) {
            tokens = Math.min(capacity, tokens + elapsedSeconds * ratePerSecond);
            lastRefillNanos = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public double capacity() {
        return capacity;
    }
}

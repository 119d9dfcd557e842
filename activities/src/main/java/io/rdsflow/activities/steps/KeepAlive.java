package io.rdsflow.activities.steps;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats for the running activity from a background thread, every {@link #INTERVAL_SECONDS} s,
 * until closed. Every step has a short heartbeat timeout ({@code StepOptions}), so when the worker
 * process running it dies (a {@code kill -9}, a lost host) Temporal notices within that timeout and
 * retries the step on a live worker, instead of waiting for the step's start-to-close timeout.
 * A cancel reaches the step at its own next {@link StepRunner#heartbeat}; here it is only swallowed.
 */
public final class KeepAlive implements AutoCloseable {
  public static final int INTERVAL_SECONDS = 2;
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "activity-keepalive");
    t.setDaemon(true);
    return t;
  });

  private final ScheduledFuture<?> beats;

  private KeepAlive(ActivityExecutionContext ctx) {
    // a local activity runs inside the workflow task of its workflow's worker: nothing to report to
    beats = ctx.getInfo().isLocal() ? null
        : TIMER.scheduleAtFixedRate(() -> beat(ctx), INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
  }

  /** Starts heartbeating for the activity of the calling thread. */
  public static KeepAlive start() {
    return new KeepAlive(Activity.getExecutionContext());
  }

  private static void beat(ActivityExecutionContext ctx) {
    try {
      ctx.heartbeat(null);
    } catch (ActivityCompletionException | IllegalStateException e) {
      // cancelled or already completed: the activity's own thread finds out
    }
  }

  @Override
  public void close() {
    if (beats != null) {
      beats.cancel(false);
    }
  }
}

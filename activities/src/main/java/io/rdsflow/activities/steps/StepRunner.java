package io.rdsflow.activities.steps;

import com.codahale.metrics.MetricRegistry;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepOptions;
import io.rdsflow.workflows.steps.StepResult;
import io.rdsflow.workflows.steps.StepStatus;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one step: records it in {@code task_steps} (RUNNING with its attempt, then SUCCEEDED, SKIPPED
 * or FAILED with the message), times it ({@code rdsflow_step_duration_seconds{step}}), counts it
 * ({@code rdsflow_steps_total{step,result}}), logs it with the instance id, and turns exceptions into
 * Temporal failures: {@link StepFailure} is non-retryable (type {@code NonRetryable}, attempted once),
 * anything else is retried (the rule of {@code StepOptions}). While the step runs,
 * {@link KeepAlive} heartbeats for it, so the death of this process is noticed within seconds.
 */
public final class StepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

  /** The work of a step. */
  @FunctionalInterface
  public interface Body {
    StepResult run() throws Exception;
  }

  private final StepDao steps;
  private final MetricRegistry metrics;

  public StepRunner(StepDao steps, MetricRegistry metrics) {
    this.steps = steps;
    this.metrics = metrics;
  }

  public StepResult run(StepInput in, Body body) {
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    steps.markRunning(in.workflowId(), in.seq(), attempt);
    long start = System.nanoTime();
    MDC.put("instanceId", in.instanceId());
    try (KeepAlive alive = KeepAlive.start()) {
      StepResult r = body.run();
      String result = r.skipped() ? "skipped" : "succeeded";
      steps.markFinished(in.workflowId(), in.seq(), r.skipped() ? StepStatus.SKIPPED : StepStatus.SUCCEEDED, r.message());
      record(in.step(), result, start);
      LOG.info("[{}] {} ({}) {} in {} ms: {}", in.instanceId(), in.step(), in.role(), result, millis(start), r.message());
      return r;
    } catch (ActivityCompletionException e) {
      steps.markFinished(in.workflowId(), in.seq(), StepStatus.FAILED, "cancelled");
      record(in.step(), "cancelled", start);
      LOG.warn("[{}] {} ({}) cancelled", in.instanceId(), in.step(), in.role());
      throw e;
    } catch (StepFailure e) {
      steps.markFinished(in.workflowId(), in.seq(), StepStatus.FAILED, e.getMessage());
      record(in.step(), "failed", start);
      LOG.error("[{}] {} ({}) failed, not retryable: {}", in.instanceId(), in.step(), in.role(), e.getMessage());
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), StepOptions.NON_RETRYABLE);
    } catch (Exception e) {
      String message = "attempt " + attempt + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
      steps.markFinished(in.workflowId(), in.seq(), StepStatus.FAILED, message);
      record(in.step(), "failed", start);
      LOG.warn("[{}] {} ({}) failed, will be retried: {}", in.instanceId(), in.step(), in.role(), message);
      throw ApplicationFailure.newFailure(message, e.getClass().getSimpleName());
    } finally {
      MDC.remove("instanceId");
    }
  }

  private void record(String step, String result, long start) {
    metrics.timer(MetricRegistry.name("rdsflow", "step", "duration", step)).update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    metrics.meter(MetricRegistry.name("rdsflow", "steps", step, result)).mark();
  }

  private static long millis(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  /** Reports liveness from a long step; throws when the workflow cancelled the step. */
  public static void heartbeat(Object detail) {
    Activity.getExecutionContext().heartbeat(detail);
  }
}

package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;

import com.aliyun.rds20140815.models.DescribeParametersRequest;
import com.aliyun.rds20140815.models.ModifyParameterRequest;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.steps.StepFailure;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parameters of a cloud instance: ModifyParameter, then DescribeParameters until they run, then Running again
 * (a parameter that needs a restart reboots the instance). Used by the creation ({@code do_build_params}) and by
 * {@code modify-parameters}. A retried step sends only what an earlier try did not set already, and only once.
 */
final class CloudParameters {
  private final CloudApi api;
  private final CloudPolling polling;

  CloudParameters(CloudApi api) {
    this.api = api;
    this.polling = new CloudPolling(api);
  }

  /** Sets {@code wanted} and waits until they run and the instance is Running; {@code forceRestart}: Forcerestart. */
  void apply(Ctx c, String cloudId, Map<String, String> wanted, boolean forceRestart, Instant deadline) {
    boolean sent = false;
    while (true) {
      Parameters now = parameters(c, cloudId);
      Map<String, String> pending = pending(wanted, now.running());
      if (pending.isEmpty()) {
        break;
      }
      if (!sent) {
        Map<String, String> toSend = pending(pending, now.configured());
        if (!toSend.isEmpty()) {
          String json = Json.write(toSend);
          api.mutate(c.rds(), "ModifyParameter", heartbeat("parameters"),
              () -> pending(toSend, parameters(c, cloudId).configured()).isEmpty(),
              rt -> c.rds().client().modifyParameterWithOptions(
                  new ModifyParameterRequest().setDBInstanceId(cloudId).setParameters(json).setForcerestart(forceRestart), rt));
        }
        sent = true;
      } else if (Instant.now().isAfter(deadline)) {
        throw new StepFailure("parameters " + pending.keySet() + " of " + cloudId + " were not running within "
            + api.settings().createTimeout());
      }
      CloudApi.pause(api.settings().pollInterval(), heartbeat("waiting for " + pending.keySet()));
    }
    polling.waitForRunning(c, cloudId, deadline, () -> "waiting for " + cloudId + " to be Running after the parameters");
  }

  /** The values DescribeParameters shows running for {@code names}. */
  Map<String, String> running(Ctx c, String cloudId, Iterable<String> names) {
    Map<String, String> all = parameters(c, cloudId).running();
    Map<String, String> out = new TreeMap<>();
    names.forEach(n -> out.put(n, all.get(n)));
    return out;
  }

  /** The entries of {@code wanted} that {@code actual} does not hold (values compared ignoring case). */
  private static Map<String, String> pending(Map<String, String> wanted, Map<String, String> actual) {
    Map<String, String> pending = new TreeMap<>();
    wanted.forEach((k, v) -> {
      if (actual.get(k) == null || !actual.get(k).equalsIgnoreCase(v)) {
        pending.put(k, v);
      }
    });
    return pending;
  }

  /** Running values, and the values that will run once what was set is applied (running overlaid by configured). */
  private record Parameters(Map<String, String> running, Map<String, String> configured) {}

  private Parameters parameters(Ctx c, String cloudId) {
    Map<String, String> running = new TreeMap<>();
    var body = api.call(c.rds(), "DescribeParameters", heartbeat("parameters"), rt -> c.rds().client()
        .describeParametersWithOptions(new DescribeParametersRequest().setDBInstanceId(cloudId), rt)).getBody();
    if (body.getRunningParameters() != null && body.getRunningParameters().getDBInstanceParameter() != null) {
      body.getRunningParameters().getDBInstanceParameter()
          .forEach(p -> running.put(p.getParameterName(), p.getParameterValue()));
    }
    Map<String, String> configured = new TreeMap<>(running);
    if (body.getConfigParameters() != null && body.getConfigParameters().getDBInstanceParameter() != null) {
      body.getConfigParameters().getDBInstanceParameter()
          .forEach(p -> configured.put(p.getParameterName(), p.getParameterValue()));
    }
    return new Parameters(running, configured);
  }
}

package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudRequests.CLOSED_WHITELIST;
import static io.rdsflow.activities.aliyun.CloudStep.csvSet;
import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;
import static io.rdsflow.activities.aliyun.CloudStep.retried;

import com.aliyun.rds20140815.models.DescribeDBInstanceIPArrayListRequest;
import com.aliyun.rds20140815.models.DescribeParametersRequest;
import com.aliyun.rds20140815.models.ModifyParameterRequest;
import com.aliyun.rds20140815.models.ModifySecurityIpsRequest;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.activities.steps.StepFailure;
import io.rdsflow.workflows.activities.AliyunConfigSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The cloud instance's whitelist and parameters (see {@link CloudStep}). */
public final class AliyunConfigStepsImpl implements AliyunConfigSteps {
  private final CloudStep step;
  private final RequestDao requests;
  private final CloudApi api;
  private final CloudPolling polling;

  public AliyunConfigStepsImpl(CloudStep step, RequestDao requests, CloudApi api) {
    this.step = step;
    this.requests = requests;
    this.api = api;
    this.polling = new CloudPolling(api);
  }

  @Override
  public StepResult doFlushUserWhitelist(StepInput in) { // do_flush_user_whitelist
    return step.run(in, () -> {
      List<String> entries = requests.whitelist(in.instanceId(), "user");
      if (entries.isEmpty()) {
        return StepResult.skipped("no whitelist requested: only " + CLOSED_WHITELIST + " may connect");
      }
      Ctx c = step.ctx(in);
      String cloudId = step.cloudId(c);
      String ips = String.join(",", entries);
      if (retried() && whitelistIs(c, cloudId, entries)) {
        return StepResult.of("whitelist of " + cloudId + ": " + ips + " (set by an earlier try)");
      }
      api.mutate(c.rds(), "ModifySecurityIps", heartbeat("whitelist"), () -> whitelistIs(c, cloudId, entries),
          rt -> c.rds().client().modifySecurityIpsWithOptions(new ModifySecurityIpsRequest().setDBInstanceId(cloudId)
              .setSecurityIps(ips).setDBInstanceIPArrayName("Default").setModifyMode("Cover"), rt));
      return StepResult.of("whitelist of " + cloudId + ": " + ips);
    });
  }

  /** Whether the Default whitelist holds exactly {@code entries}. */
  private boolean whitelistIs(Ctx c, String cloudId, List<String> entries) {
    var body = api.call(c.rds(), "DescribeDBInstanceIPArrayList", heartbeat("whitelist"), rt -> c.rds().client()
        .describeDBInstanceIPArrayListWithOptions(new DescribeDBInstanceIPArrayListRequest().setDBInstanceId(cloudId), rt))
        .getBody();
    if (body.getItems() == null || body.getItems().getDBInstanceIPArray() == null) {
      return false;
    }
    return body.getItems().getDBInstanceIPArray().stream()
        .filter(a -> "default".equalsIgnoreCase(a.getDBInstanceIPArrayName()))
        .anyMatch(a -> a.getSecurityIPList() != null && csvSet(a.getSecurityIPList()).equals(new HashSet<>(entries)));
  }

  @Override
  public StepResult doBuildParams(StepInput in) { // do_build_params
    return step.run(in, () -> {
      Ctx c = step.ctx(in);
      Map<String, String> wanted = new TreeMap<>(c.request().parameters() == null ? Map.of() : c.request().parameters());
      if (c.request().timeZone() != null) {
        wanted.put("default_time_zone", c.request().timeZone());
      }
      if (wanted.isEmpty()) {
        return StepResult.skipped("no parameters requested: the defaults of Alibaba Cloud RDS apply");
      }
      String cloudId = step.cloudId(c);
      Instant deadline = Instant.now().plus(api.settings().createTimeout());
      boolean sent = false;
      while (true) {
        Parameters now = parameters(c, cloudId);
        Map<String, String> pending = pending(wanted, now.running());
        if (pending.isEmpty()) {
          break;
        }
        if (!sent) {
          // what an earlier try set already is being applied: only the rest is sent, and only once
          Map<String, String> toSend = pending(pending, now.configured());
          if (!toSend.isEmpty()) {
            String json = Json.write(toSend);
            api.mutate(c.rds(), "ModifyParameter", heartbeat("parameters"),
                () -> pending(toSend, parameters(c, cloudId).configured()).isEmpty(),
                rt -> c.rds().client().modifyParameterWithOptions(
                    new ModifyParameterRequest().setDBInstanceId(cloudId).setParameters(json).setForcerestart(true), rt));
          }
          sent = true;
        } else if (Instant.now().isAfter(deadline)) {
          throw new StepFailure("parameters " + pending.keySet() + " of " + cloudId + " were not running within "
              + api.settings().createTimeout());
        }
        CloudApi.pause(api.settings().pollInterval(), heartbeat("waiting for " + pending.keySet()));
      }
      // a parameter that needs a restart reboots the instance: the next steps want it Running
      polling.waitForRunning(c, cloudId, deadline, () -> "waiting for " + cloudId + " to be Running after the parameters");
      return StepResult.of(wanted.size() + " parameter(s) running on " + cloudId + ": " + wanted);
    });
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

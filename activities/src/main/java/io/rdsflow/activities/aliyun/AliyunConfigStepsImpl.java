package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudRequests.CLOSED_WHITELIST;
import static io.rdsflow.activities.aliyun.CloudStep.csvSet;
import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;
import static io.rdsflow.activities.aliyun.CloudStep.retried;

import com.aliyun.rds20140815.models.DescribeDBInstanceIPArrayListRequest;
import com.aliyun.rds20140815.models.ModifySecurityIpsRequest;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.meta.RequestDao;
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
  private final CloudParameters parameters;

  public AliyunConfigStepsImpl(CloudStep step, RequestDao requests, CloudApi api) {
    this.step = step;
    this.requests = requests;
    this.api = api;
    this.parameters = new CloudParameters(api);
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
      // a parameter that needs a restart reboots the instance: the next steps want it Running
      parameters.apply(c, cloudId, wanted, true, Instant.now().plus(api.settings().createTimeout()));
      return StepResult.of(wanted.size() + " parameter(s) running on " + cloudId + ": " + wanted);
    });
  }
}

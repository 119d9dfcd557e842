package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudStep.mask;

import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.workflows.activities.AliyunInitSteps;
import io.rdsflow.workflows.create.AliyunPlan;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.util.List;

/** The aliyun engine's first steps: the request, its account and its accounts and databases checked (see {@link CloudStep}). */
public final class AliyunInitStepsImpl implements AliyunInitSteps {
  private final CloudStep step;
  private final RequestDao requests;

  public AliyunInitStepsImpl(CloudStep step, RequestDao requests) {
    this.step = step;
    this.requests = requests;
  }

  @Override
  public StepResult doInit(StepInput in) { // do_init
    return step.run(in, () -> {
      Ctx c = step.ctx(in);
      CreateRequest.Aliyun s = c.spec();
      return StepResult.of("account " + c.ins().aliyunUid() + " (AccessKey " + mask(c.rds().accessKeyId()) + "), region "
          + c.rds().regionId() + ", zone " + s.zoneId() + ", " + s.instanceClass() + ", " + s.storageGb() + " GB, MySQL "
          + c.ins().engineVersion() + ", category " + AliyunPlan.category(c.ins().topology())
          + (s.vpcId() == null ? "" : ", VPC " + s.vpcId() + "/" + s.vswitchId()));
    });
  }

  /**
   * The seed's check step, now a count: that every granted database is among the requested ones is
   * checked once, by CreateInstance (a 422 naming the privilege), for both engines. It guards nothing the
   * API cannot: {@code instance_accounts} and {@code instance_databases} are written only by CreateInstance,
   * after that check, in one transaction, and every release has made the same check there.
   */
  @Override
  public StepResult doCheckAccountsAndDbs(StepInput in) { // do_check_accounts_and_dbs
    return step.run(in, () -> StepResult.of(requests.summary(in.instanceId())));
  }
}

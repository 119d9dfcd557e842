package io.rdsflow.workflows.operate;

import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameter and spec changes. Local {@code modify-parameters}: the new values stored first
 * ({@code mycnf_custinstance}, control), then on every node the dynamic ones set live and my.cnf rewritten;
 * when a static one changed, a rolling restart follows (the rows of {@link OperationPlans#restart}).
 * aliyun: one cloud call and its wait, on the aliyun queue.
 */
public final class SpecChangePlans {
  /** Control: the operation's parameters stored as the instance's parameters; reported as facts. */
  public static final String PERSIST = "rdsflow_persist_parameters";
  /** On a node's host: dynamic parameters set live (SET GLOBAL), my.cnf rewritten from the stored parameters. */
  public static final String SET_LIVE = "rdsflow_set_parameters_live";
  /** aliyun: ModifyParameter (Forcerestart when one needs it), then DescribeParameters until they run. */
  public static final String CLOUD_PARAMETERS = "rdsflow_modify_cloud_parameters";
  /** aliyun: ModifyDBInstanceSpec (class and/or storage). */
  public static final String CLOUD_RESIZE = "rdsflow_resize_cloud_instance";
  /** aliyun: UpgradeDBInstanceKernelVersion. */
  public static final String CLOUD_UPGRADE = "rdsflow_upgrade_cloud_minor_version";
  /** aliyun: Running again with the requested class, storage or version. */
  public static final String CLOUD_WAIT_SPEC = "rdsflow_wait_cloud_spec";

  /** Fact prefix: {@code parameter.<name>} = the new value. */
  public static final String FACT_PARAMETER = "parameter.";

  private SpecChangePlans() {}

  /** Local: store, set live on each node (the reader first), then a rolling restart when {@code restart}. */
  public static OperationPlans.Plan modifyParameters(Role writer, boolean masterSlave, boolean restart) {
    List<PlannedStep> head = new ArrayList<>();
    head.add(new PlannedStep(1, 1, PERSIST, Role.INSTANCE, Target.CONTROL, null));
    if (masterSlave) {
      Role reader = OperationPlans.other(writer);
      head.add(new PlannedStep(2, 2, SET_LIVE, reader, host(reader), null));
    }
    int s = head.size() + 1;
    head.add(new PlannedStep(s, s, SET_LIVE, writer, host(writer), null));
    if (!restart) {
      return new OperationPlans.Plan(List.copyOf(head), List.of(), Integer.MAX_VALUE, Integer.MAX_VALUE);
    }
    OperationPlans.Plan r = OperationPlans.restart(writer, null, masterSlave);
    int shift = head.size();
    List<PlannedStep> steps = new ArrayList<>(head);
    r.steps().forEach(p -> steps.add(shifted(p, shift)));
    List<PlannedStep> undo = r.undo().stream().map(p -> shifted(p, shift)).toList();
    return new OperationPlans.Plan(List.copyOf(steps), undo, plus(r.undoFrom(), shift), plus(r.commitSeq(), shift));
  }

  public static OperationPlans.Plan cloudParameters() {
    return cloud(CLOUD_PARAMETERS);
  }

  public static OperationPlans.Plan cloudResize() {
    return cloud(CLOUD_RESIZE, CLOUD_WAIT_SPEC);
  }

  public static OperationPlans.Plan cloudUpgrade() {
    return cloud(CLOUD_UPGRADE, CLOUD_WAIT_SPEC);
  }

  private static OperationPlans.Plan cloud(String... names) {
    List<PlannedStep> steps = new ArrayList<>();
    for (String name : names) {
      int seq = steps.size() + 1;
      steps.add(new PlannedStep(seq, seq, name, Role.INSTANCE, Target.ALIYUN, null));
    }
    return new OperationPlans.Plan(List.copyOf(steps), List.of(), Integer.MAX_VALUE, 1);
  }

  private static PlannedStep shifted(PlannedStep p, int by) {
    return new PlannedStep(p.seq() + by, p.stage() + by, p.name(), p.role(), p.target(), p.skipReason());
  }

  private static int plus(int seq, int by) {
    return seq == Integer.MAX_VALUE ? seq : seq + by;
  }

  private static Target host(Role node) {
    return node == Role.MASTER ? Target.MASTER_HOST : Target.SLAVE_HOST;
  }
}

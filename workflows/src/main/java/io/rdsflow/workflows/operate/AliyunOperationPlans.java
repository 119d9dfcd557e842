package io.rdsflow.workflows.operate;

import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of the operations on an aliyun instance (Alibaba Cloud RDS), each about the whole instance on
 * the {@code aliyun} queue ({@link Target#ALIYUN}, activities in {@code AliyunOperations}). The cloud keeps
 * its own master and standby nodes and the connection string does not move, so nothing is undone and no
 * serving role changes in rdsflow's metadata. Alibaba Cloud fails RDS over by itself: there is no failover.
 * A backup is the cloud's own physical backup set, recorded in {@code backups} like a local backup.
 */
public final class AliyunOperationPlans {
  /** DescribeDBInstanceAttribute and DescribeDBInstanceHAConfig: Running, with a Master and a Slave node. */
  public static final String CHECK_HA = "rdsflow_check_cloud_ha";
  /** SwitchDBInstanceHA to the standby node (once, also when retried). */
  public static final String SWITCH_HA = "rdsflow_switch_cloud_ha";
  /** RestartDBInstance (with a ClientToken per operation). */
  public static final String RESTART = "rdsflow_restart_cloud_instance";
  /** Polls until Running (after a switchover: with another node as Master). */
  public static final String WAIT_RUNNING = "rdsflow_wait_cloud_running";

  /** CreateBackup (Physical, FullBackup), once per operation; the backup's row RUNNING with the cloud's job id. */
  public static final String CREATE_BACKUP = "rdsflow_create_cloud_backup";
  /** DescribeBackupTasks until the job finished, then DescribeBackups: the row SUCCEEDED with the cloud's BackupId and size. */
  public static final String WAIT_BACKUP = "rdsflow_wait_cloud_backup";

  /** Fact: the id of the backup's row in {@code backups} (the same fact name as a local backup's). */
  public static final String FACT_BACKUP_ID = "backupId";
  /** Fact: the cloud's BackupJobId of the backup. */
  public static final String FACT_BACKUP_JOB = "cloudBackupJobId";

  /** Fact: the NodeId that was the Master when the switchover began. */
  public static final String FACT_MASTER_NODE = "cloudMasterNode";
  /** Fact: the NodeId of the standby the switchover promotes. */
  public static final String FACT_STANDBY_NODE = "cloudStandbyNode";

  private AliyunOperationPlans() {}

  /** SwitchDBInstanceHA: the standby node becomes the Master; the change stands from the switch on. */
  public static OperationPlans.Plan switchover() {
    return plan(2, CHECK_HA, SWITCH_HA, WAIT_RUNNING);
  }

  /** RestartDBInstance of the whole instance, then Running again. */
  public static OperationPlans.Plan restart() {
    return plan(1, RESTART, WAIT_RUNNING);
  }

  /** A physical full backup by the cloud (CreateBackup), waited for until its backup set is listed. */
  public static OperationPlans.Plan backup() {
    return plan(1, CREATE_BACKUP, WAIT_BACKUP);
  }

  private static OperationPlans.Plan plan(int commitSeq, String... names) {
    List<PlannedStep> steps = new ArrayList<>();
    for (String name : names) {
      int seq = steps.size() + 1;
      steps.add(new PlannedStep(seq, seq, name, Role.INSTANCE, Target.ALIYUN, null));
    }
    return new OperationPlans.Plan(List.copyOf(steps), List.of(), Integer.MAX_VALUE, commitSeq);
  }
}

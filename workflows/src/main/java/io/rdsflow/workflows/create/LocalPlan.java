package io.rdsflow.workflows.create;

import io.rdsflow.workflows.steps.PlannedStep;
import java.util.List;

/**
 * The local engine's plan: the steps of seed 003 in the seed's order. The seed's maxscale steps set up
 * the instance's proxy (HAProxy on the master's host): a writer endpoint that follows the master and a
 * reader endpoint on the slave. Steps that only mean
 * something in the cloud, or for another server version, are kept as SKIPPED rows with the reason,
 * so the steps view reads like the seed's task flow. The service computes a creation's plan once and
 * passes it in the workflow's input, so changing this class never changes a running creation; a change
 * to how the workflow runs a plan goes behind {@code Workflow.getVersion} (see CreateInstanceWorkflowImpl),
 * and the recorded histories of the workflows module's ReplayTest keep it honest.
 */
public final class LocalPlan {
  private static final String CLOUD_ONLY = "cloud only: the local engine has no ";
  /**
   * Not a seed step: the last check before RUNNING, that the slave applied everything the master wrote
   * (the same GTID position), so RUNNING means a row written on the master is on the slave.
   */
  public static final String CONFIRM_CAUGHT_UP = "rdsflow_confirm_slave_caught_up";
  /**
   * Not seed steps: a clone's nodes are prepared from the source's full backup ({@code --prepare}, copy-back) in place
   * of {@code do_init_mysql_db_*}, and once started rolled forward: the archived binlogs replayed up to the requested
   * point in time (none for a clone of a backup), the GTID state set where the data ends.
   */
  public static final String RESTORE_BACKUP_MASTER = "rdsflow_restore_backup_master";
  public static final String RESTORE_BACKUP_SLAVE = "rdsflow_restore_backup_slave";
  public static final String ROLL_FORWARD_MASTER = "rdsflow_roll_forward_master";
  public static final String ROLL_FORWARD_SLAVE = "rdsflow_roll_forward_slave";

  private LocalPlan() {}

  public static List<PlannedStep> steps(CreateInput in) {
    return steps(in, true);
  }

  /**
   * @param proxy whether the maxscale rows set up the instance's proxy (writer/reader endpoints); false
   *     gives the plan of the releases before it, as histories of that time recompute it
   */
  static List<PlannedStep> steps(CreateInput in, boolean proxy) {
    boolean ms = in.masterSlave();
    String noProxy = proxy ? null : CLOUD_ONLY + "maxscale proxy";
    String noReadins = !proxy ? noProxy : ms ? null : "topology single has no read-only node";
    String single = ms ? null : "topology single has no replication";
    // MySQL 5.5 (end of life since 2018) is refused by CreateInstance for the local engine
    String for55 = in.engineVersion().startsWith("5.5") ? "MySQL 5.5 is not served by the local engine"
        : "only for MySQL 5.5; this instance runs " + in.engineVersion();
    String noTimeZone = in.timeZoneRequested() ? null : "no timeZone requested; the server default applies";
    String restored = in.restored() ? "a clone's data directory is restored from the source's backup (rdsflow_restore_backup_*)"
        : null;
    PlanBuilder plan = new PlanBuilder(ms)
        .control("do_init")
        .control("do_ensure_minor_version")
        .control("do_build_params")
        .control("do_calculate_maintain_user_list")
        .controlUnless("do_init_replicator_into_meta", single)
        .bothNodes("do_check_port_and_dir_exists_and_makesure_not_exist")
        .bothNodes("do_rm_instance_dir_exists")
        .bothNodes("do_make_dir")
        .bothNodes("do_build_mysql_params")
        .control("do_update_minor_version_in_metadb")
        .perRoleUnless("do_init_mysql_db_master", "do_init_mysql_db_slave", restored);
    if (in.restored()) {
      plan.perRole(RESTORE_BACKUP_MASTER, RESTORE_BACKUP_SLAVE);
    }
    plan
        .skip("do_add_rds_ecs_sg_rel", CLOUD_ONLY + "ECS security groups")
        .control("do_flush_admin_whitelist")
        .control("do_flush_user_whitelist")
        .perRole("do_check_mysql_init_db_success_master", "do_check_mysql_init_db_success_slave")
        .perRole("do_start_instance_noblock_by_master", "do_start_instance_noblock_by_slave")
        .perRole("do_check_start_instance_success_master", "do_check_start_instance_success_slave");
    if (in.restored()) {
      plan.perRole(ROLL_FORWARD_MASTER, ROLL_FORWARD_SLAVE);
    }
    return plan
        .master("do_initialize_mysql_account_by_master")
        .master("do_grant_master_by_master")
        .bothNodesUnless("do_install_plugin_for55", for55)
        .bothNodesUnless("do_add_flashback_privilege_for55", for55)
        .perRoleUnless("do_install_duallmaster_master", "do_install_duallmaster_slave", single)
        .perRoleUnless("do_check_slave_master", "do_check_slave_slave", single)
        .control("do_check_accounts_and_dbs")
        .master("do_create_accounts")
        .master("do_create_dbs")
        .skip("do_create_slb_ins_4vpc", CLOUD_ONLY + "SLB")
        .skip("do_create_single_tenant_ins_and_wait_finish", "aliyun engine only")
        .masterUnless("do_wait_for_creating_maxscale_task_finish", noProxy)
        .masterUnless("do_refresh_maxscale_link_topology", noProxy)
        .masterUnless("do_wait_for_refreshing_maxscale_task_finish", noProxy)
        .skip("do_create_rds_data_route", CLOUD_ONLY + "data route")
        .skip("do_validate_rds_data_route", CLOUD_ONLY + "data route")
        .skip("do_create_vpc_custins_mapping_address", CLOUD_ONLY + "VPC mapping")
        .master("do_insert_time_zone_tables")
        .bothNodesUnless("do_reset_named_timezone_config", noTimeZone)
        .control("do_insert_baklist")
        .control("do_insert_logplan")
        .control("do_active_instance_for_install")
        .control("do_update_ins_account_status")
        .skip("do_add_aurora", CLOUD_ONLY + "aurora HA agent")
        .bothNodes("do_add_port_to_instance_config")
        .skip("do_enable_aurora", CLOUD_ONLY + "aurora HA agent")
        .bothNodes("do_reset_root_password")
        .bothNodes("do_drop_root_account")
        .skip("do_create_trigger_by_master", "the request defines no triggers")
        .skip("do_create_view_by_master", "the request defines no views")
        .skip("do_update_aurora_to_readonly_for_guard_ins", CLOUD_ONLY + "aurora HA agent")
        .slave("do_set_server_readonly_for_guard_ins", "topology single has no standby")
        .bothNodes("do_rebuild_initd")
        .bothNodes("do_config_resource")
        .bothNodes("do_persist_resource_config")
        .bothNodes("do_write_insname_to_file")
        .skip("do_switch_nglb_if_needed", CLOUD_ONLY + "NGLB")
        .bothNodes("do_flush_insinfo_file")
        .skip("do_add_kill_option_for_api_created_superuser", "the API creates no superuser accounts")
        .bothNodes("do_persis_custins_param")
        .control("do_insert_instance_perf_table")
        .skip("do_insert_db_perf", "per-database load is collected by the collection workflows")
        .master("do_start_create_new_backup")
        .masterUnless("do_add_readins_to_maxscale_config", noReadins)
        .slave(CONFIRM_CAUGHT_UP, "topology single has no slave")
        .build();
  }
}

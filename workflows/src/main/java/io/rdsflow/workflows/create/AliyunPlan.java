package io.rdsflow.workflows.create;

import io.rdsflow.workflows.domain.Topology;
import io.rdsflow.workflows.steps.PlannedStep;
import java.util.List;

/**
 * The aliyun engine's plan: the seed's steps that mean something for an Alibaba Cloud RDS instance run
 * on the {@code aliyun} task queue in the order the cloud needs (the instance first, then what is set on
 * it); the steps that act on a database host, or that Alibaba Cloud RDS does by itself, are kept as
 * SKIPPED rows with the reason, so the steps view still reads like the seed's task flow.
 * {@code topology: master-slave} is category HighAvailability (a primary and a standby run by the
 * cloud), {@code single} is category Basic. A clone ({@link CreateInput#restored()}) is made by CloneDBInstance
 * ({@link #CLONE}) in place of {@code do_create_single_tenant_ins_and_wait_finish}; the steps after it run as for a
 * new instance (the accounts and databases, restored with the data, are found there and waited for).
 */
public final class AliyunPlan {
  /** Not a seed step: a clone's cloud instance, made by CloneDBInstance from the source's backup set or a point in time. */
  public static final String CLONE = "rdsflow_clone_db_instance";
  static final String HOST_ONLY = "host-only step: Alibaba Cloud RDS runs the server itself";
  private static final String RDS = "done by Alibaba Cloud RDS itself: ";
  private static final String NOT_USED = "not used by the aliyun engine: ";

  private AliyunPlan() {}

  /** The RDS category of a topology: {@code master-slave} → HighAvailability, {@code single} → Basic. */
  public static String category(Topology topology) {
    return topology == Topology.MASTER_SLAVE ? "HighAvailability" : "Basic";
  }

  public static List<PlannedStep> steps(CreateInput in) {
    String replication = in.masterSlave() ? RDS + "the standby's replication (category HighAvailability)"
        : "topology single has no replication";
    String timeZone = in.timeZoneRequested() ? "the time zone is applied as default_time_zone by do_build_params"
        : "no timeZone requested; the server default applies";
    PlanBuilder plan = new PlanBuilder(false)
        .cloud("do_init")
        .skip("do_ensure_minor_version", RDS + "it picks and patches the minor version")
        .skip("do_calculate_maintain_user_list", RDS + "it keeps its own maintenance accounts")
        .skip("do_init_replicator_into_meta", replication)
        .cloud("do_check_accounts_and_dbs");
    if (in.restored()) {
      plan.skip("do_create_single_tenant_ins_and_wait_finish", "a clone is made by CloneDBInstance (" + CLONE + ")")
          .cloud(CLONE);
    } else {
      plan.cloud("do_create_single_tenant_ins_and_wait_finish");
    }
    return plan
        .skip("do_check_port_and_dir_exists_and_makesure_not_exist", HOST_ONLY)
        .skip("do_rm_instance_dir_exists", HOST_ONLY)
        .skip("do_make_dir", HOST_ONLY)
        .skip("do_build_mysql_params", HOST_ONLY)
        .skip("do_update_minor_version_in_metadb", RDS + "it picks and patches the minor version")
        .skip("do_init_mysql_db_master", HOST_ONLY)
        .skip("do_init_mysql_db_slave", HOST_ONLY)
        .skip("do_add_rds_ecs_sg_rel", NOT_USED + "ECS security groups")
        .skip("do_flush_admin_whitelist", RDS + "its own management access")
        .cloud("do_flush_user_whitelist")
        .cloud("do_build_params")
        .skip("do_check_mysql_init_db_success_master", HOST_ONLY)
        .skip("do_check_mysql_init_db_success_slave", HOST_ONLY)
        .skip("do_start_instance_noblock_by_master", HOST_ONLY)
        .skip("do_start_instance_noblock_by_slave", HOST_ONLY)
        .skip("do_check_start_instance_success_master", HOST_ONLY)
        .skip("do_check_start_instance_success_slave", HOST_ONLY)
        .skip("do_initialize_mysql_account_by_master", HOST_ONLY)
        .skip("do_grant_master_by_master", HOST_ONLY)
        .skip("do_install_plugin_for55", HOST_ONLY)
        .skip("do_add_flashback_privilege_for55", HOST_ONLY)
        .skip("do_install_duallmaster_master", replication)
        .skip("do_install_duallmaster_slave", replication)
        .skip("do_check_slave_master", replication)
        .skip("do_check_slave_slave", replication)
        .cloud("do_create_accounts")
        .cloud("do_create_dbs")
        .skip("do_create_slb_ins_4vpc", RDS + "its connection string is the endpoint")
        .skip("do_wait_for_creating_maxscale_task_finish", NOT_USED + "maxscale proxy")
        .skip("do_refresh_maxscale_link_topology", NOT_USED + "maxscale proxy")
        .skip("do_wait_for_refreshing_maxscale_task_finish", NOT_USED + "maxscale proxy")
        .skip("do_create_rds_data_route", NOT_USED + "data route")
        .skip("do_validate_rds_data_route", NOT_USED + "data route")
        .skip("do_create_vpc_custins_mapping_address", RDS + "its connection string is the endpoint")
        .skip("do_insert_time_zone_tables", RDS + "it maintains the time zone tables")
        .skip("do_reset_named_timezone_config", timeZone)
        .cloud("do_insert_baklist")
        .skip("do_insert_logplan", RDS + "binlog retention follows its backup policy")
        .cloud("do_insert_instance_perf_table")
        .cloud("do_active_instance_for_install")
        .skip("do_update_ins_account_status", "do_create_accounts marks the accounts Available when the cloud does")
        .skip("do_add_aurora", RDS + "its own HA agent")
        .skip("do_add_port_to_instance_config", HOST_ONLY)
        .skip("do_enable_aurora", RDS + "its own HA agent")
        .skip("do_reset_root_password", HOST_ONLY)
        .skip("do_drop_root_account", HOST_ONLY)
        .skip("do_create_trigger_by_master", "the request defines no triggers")
        .skip("do_create_view_by_master", "the request defines no views")
        .skip("do_update_aurora_to_readonly_for_guard_ins", RDS + "its own HA agent")
        .skip("do_set_server_readonly_for_guard_ins", in.masterSlave() ? RDS + "the standby is not reachable"
            : "topology single has no standby")
        .skip("do_rebuild_initd", HOST_ONLY)
        .skip("do_config_resource", HOST_ONLY)
        .skip("do_persist_resource_config", HOST_ONLY)
        .skip("do_write_insname_to_file", HOST_ONLY)
        .skip("do_switch_nglb_if_needed", NOT_USED + "NGLB")
        .skip("do_flush_insinfo_file", HOST_ONLY)
        .skip("do_add_kill_option_for_api_created_superuser", "the API creates no superuser accounts")
        .skip("do_persis_custins_param", "do_build_params waits until the running values show the parameters")
        .skip("do_insert_db_perf", "per-database load is collected by the collection workflows")
        .skip("do_start_create_new_backup", RDS + "it takes the first backup by the backup policy")
        .skip("do_add_readins_to_maxscale_config", NOT_USED + "maxscale proxy")
        .build();
  }
}

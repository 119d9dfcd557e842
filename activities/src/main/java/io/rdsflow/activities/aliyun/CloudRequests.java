package io.rdsflow.activities.aliyun;

import com.aliyun.rds20140815.models.CloneDBInstanceRequest;
import com.aliyun.rds20140815.models.CreateDBInstanceRequest;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.workflows.create.AliyunPlan;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** What rdsflow sends the RDS OpenAPI: the CreateDBInstance request and the names that make its changes its own. */
final class CloudRequests {
  static final String ENGINE = "MySQL";
  static final String STORAGE_TYPE = "cloud_essd";
  /** Security IP list of a new instance: nobody but the instance itself until do_flush_user_whitelist. */
  static final String CLOSED_WHITELIST = "127.0.0.1";
  static final String WEEK = "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday";

  private CloudRequests() {}

  /** The ClientToken of an instance's CreateDBInstance: the same for every try, unique per instance. */
  public static String clientToken(String instanceId) {
    return "rdsflow-" + instanceId;
  }

  /** The description of the cloud instance; it ends with the instance id, so a lost create can be found. */
  public static String description(String name, String instanceId) {
    return name + "-" + instanceId;
  }

  /** The description of the database accounts and databases rdsflow creates for an instance. */
  public static String ownerTag(String instanceId) {
    return "rdsflow-" + instanceId;
  }

  static CreateDBInstanceRequest createDBInstance(Ctx c) {
    CreateRequest.Aliyun s = c.spec();
    CreateDBInstanceRequest r = new CreateDBInstanceRequest()
        .setRegionId(c.rds().regionId())
        .setZoneId(s.zoneId())
        .setEngine(ENGINE)
        .setEngineVersion(c.ins().engineVersion())
        .setDBInstanceClass(s.instanceClass())
        .setDBInstanceStorage(s.storageGb())
        .setDBInstanceStorageType(STORAGE_TYPE)
        .setDBInstanceNetType("Intranet")
        .setSecurityIPList(CLOSED_WHITELIST)
        .setPayType("Postpaid")
        .setCategory(AliyunPlan.category(c.ins().topology()))
        .setDBInstanceDescription(description(c.ins().name(), c.id()))
        .setClientToken(clientToken(c.id()));
    if (c.ins().masterSlave()) {
      r.setZoneIdSlave1(s.zoneId());
    }
    if (s.vpcId() != null && !s.vpcId().isBlank()) {
      r.setInstanceNetworkType("VPC").setVPCId(s.vpcId()).setVSwitchId(s.vswitchId());
    }
    return r;
  }

  /** CloneDBInstance's RestoreTime: UTC, to the second. */
  static final DateTimeFormatter RESTORE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  /**
   * The CloneDBInstance of a clone: the source's cloud instance restored from its backup set {@code backupSetId} or to
   * {@code restoreTime} (exactly one non-null), into an instance of the clone's class, storage, zone, category and network.
   */
  static CloneDBInstanceRequest cloneDBInstance(Ctx c, String sourceCloudId, String backupSetId, Instant restoreTime) {
    CreateRequest.Aliyun s = c.spec();
    CloneDBInstanceRequest r = new CloneDBInstanceRequest()
        .setDBInstanceId(sourceCloudId)
        .setRegionId(c.rds().regionId())
        .setZoneId(s.zoneId())
        .setPayType("Postpaid")
        .setDBInstanceClass(s.instanceClass())
        .setDBInstanceStorage(s.storageGb())
        .setDBInstanceStorageType(STORAGE_TYPE)
        .setCategory(AliyunPlan.category(c.ins().topology()));
    if (c.ins().masterSlave()) {
      r.setZoneIdSlave1(s.zoneId());
    }
    if (s.vpcId() != null && !s.vpcId().isBlank()) {
      r.setInstanceNetworkType("VPC").setVPCId(s.vpcId()).setVSwitchId(s.vswitchId());
    }
    return backupSetId != null ? r.setBackupId(backupSetId) : r.setRestoreTime(RESTORE_TIME.format(restoreTime));
  }

  /** {@code HH:mm} (UTC, whole hours) → the RDS window {@code HH:00Z-(HH+1):00Z}. */
  static String backupWindow(String preferredTime) {
    int hour = Integer.parseInt(preferredTime.substring(0, 2));
    return String.format(Locale.ROOT, "%02d:00Z-%02d:00Z", hour, hour + 1);
  }
}

package io.rdsflow.service.instances;

import io.rdsflow.activities.meta.AccountDao;
import io.rdsflow.service.api.AccountRequest;
import io.rdsflow.service.api.CreateInstanceSpec;
import io.rdsflow.service.api.Fields;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.Engine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of a CreateInstance request that are the aliyun engine's own: the shape of region, zone,
 * instance class, storage and network, what Alibaba Cloud RDS accepts for names, charsets, backups and
 * time zones, and the account existing. Everything here is decided locally, so a bad request costs no
 * cloud call. For other engines it only rejects the aliyun fields.
 */
public final class AliyunCreateCheck implements InstanceService.EngineCheck {
  static final Pattern UID = io.rdsflow.service.api.AccountRequest.UID;
  /** {@code mysql.n2.medium.2c}, {@code mysql.x4.large.2c}, {@code rds.mysql.s2.large}. */
  static final Pattern INSTANCE_CLASS = Pattern.compile("(rds\\.)?mysql(\\.[a-z0-9]{1,16}){2,4}");
  static final Pattern ZONE_SUFFIX = Pattern.compile("[a-z0-9]{1,8}");
  static final Pattern VPC = Pattern.compile("vpc-[a-z0-9]{6,40}");
  static final Pattern VSWITCH = Pattern.compile("vsw-[a-z0-9]{6,40}");
  /** RDS: names end with a letter or a digit. */
  static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z][a-z0-9_]{0,30}[a-z0-9]");
  static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}[a-z0-9]");
  static final Pattern OFFSET = io.rdsflow.service.api.CreateInstanceValidator.OFFSET;
  static final Set<String> VERSIONS = Set.of("5.6", "5.7", "8.0");
  static final Set<String> CHARSETS = Set.of("utf8", "utf8mb4", "gbk", "latin1");
  static final int MIN_STORAGE_GB = 20;
  static final int MAX_STORAGE_GB = 64000;

  private final AccountDao accounts;

  public AliyunCreateCheck(AccountDao accounts) {
    this.accounts = accounts;
  }

  @Override
  public void check(CreateInstanceSpec r) {
    if (r.engine() != Engine.ALIYUN) {
      aliyunFields(r).forEach((field, value) -> {
        if (value != null) {
          throw ApiException.invalid(field, "only for engine aliyun");
        }
      });
      return;
    }
    if (r.placement() != null) {
      throw ApiException.invalid("placement", "only for engine local");
    }
    if (!VERSIONS.contains(r.engineVersion())) {
      throw ApiException.invalid("engineVersion", "engine aliyun creates MySQL 5.6, 5.7 or 8.0");
    }
    Fields.matches("aliyunUid", r.aliyunUid(), UID, "the account's numeric id (8 to 20 digits)");
    Fields.matches("regionId", r.regionId(), AccountRequest.REGION, "a region id such as cn-hangzhou");
    Fields.required("zoneId", r.zoneId());
    String prefix = r.regionId() + "-";
    if (!r.zoneId().startsWith(prefix) || !ZONE_SUFFIX.matcher(r.zoneId().substring(prefix.length())).matches()) {
      throw ApiException.invalid("zoneId", "must be a zone of region " + r.regionId() + ", such as " + prefix + "i");
    }
    Fields.matches("instanceClass", r.instanceClass(), INSTANCE_CLASS, "a MySQL instance class such as mysql.n2.medium.2c");
    if (r.storageGb() == null) {
      throw ApiException.invalid("storageGb", "is required");
    }
    if (r.storageGb() < MIN_STORAGE_GB || r.storageGb() > MAX_STORAGE_GB || r.storageGb() % 5 != 0) {
      throw ApiException.invalid("storageGb", "must be " + MIN_STORAGE_GB + " to " + MAX_STORAGE_GB + " GB in steps of 5");
    }
    if ((r.vpcId() == null) != (r.vswitchId() == null)) {
      throw ApiException.invalid(r.vpcId() == null ? "vpcId" : "vswitchId", "vpcId and vswitchId go together");
    }
    if (r.vpcId() != null) {
      Fields.matches("vpcId", r.vpcId(), VPC, "a VPC id such as vpc-bp1abc123def");
      Fields.matches("vswitchId", r.vswitchId(), VSWITCH, "a vSwitch id such as vsw-bp1abc123def");
    }
    if (r.timeZone() != null && !OFFSET.matcher(r.timeZone()).matches()) {
      throw ApiException.invalid("timeZone", "engine aliyun takes an offset such as +08:00");
    }
    if (r.backup() != null) {
      if (r.backup().retentionDays() < 7) {
        throw ApiException.invalid("backup.retentionDays", "Alibaba Cloud RDS keeps backups 7 to 730 days");
      }
      if (!r.backup().preferredTime().endsWith(":00")) {
        throw ApiException.invalid("backup.preferredTime", "Alibaba Cloud RDS takes a whole hour (UTC) such as 02:00");
      }
    }
    var accountSpecs = r.accounts();
    for (int i = 0; i < accountSpecs.size(); i++) {
      Fields.matches("accounts[" + i + "].name", accountSpecs.get(i).name(), ACCOUNT_NAME,
          "2 to 32 lowercase letters, digits or '_', starting with a letter and ending with a letter or digit");
    }
    var dbs = r.databases();
    for (int i = 0; i < dbs.size(); i++) {
      Fields.matches("databases[" + i + "].name", dbs.get(i).name(), DATABASE_NAME,
          "2 to 64 lowercase letters, digits, '_' or '-', starting with a letter and ending with a letter or digit");
      String charset = dbs.get(i).charset();
      if (charset != null && !CHARSETS.contains(charset.toLowerCase(java.util.Locale.ROOT))) {
        throw ApiException.invalid("databases[" + i + "].charset", "engine aliyun takes gbk, latin1, utf8 or utf8mb4");
      }
    }
    if (accounts.find(r.aliyunUid()).isEmpty()) {
      throw ApiException.invalid("aliyunUid", "account " + r.aliyunUid() + " is not configured (add it with POST /v1/accounts)");
    }
  }

  private static Map<String, Object> aliyunFields(CreateInstanceSpec r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("aliyunUid", r.aliyunUid());
    m.put("regionId", r.regionId());
    m.put("zoneId", r.zoneId());
    m.put("instanceClass", r.instanceClass());
    m.put("storageGb", r.storageGb());
    m.put("vpcId", r.vpcId());
    m.put("vswitchId", r.vswitchId());
    return m;
  }
}

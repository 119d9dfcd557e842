package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudRequests.ownerTag;
import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;

import com.aliyun.rds20140815.models.DescribeAccountsRequest;
import com.aliyun.rds20140815.models.DescribeDatabasesRequest;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.steps.StepFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The accounts and databases a cloud instance holds, and whether rdsflow made them for this instance. */
final class CloudAccounts {
  private final CloudApi api;

  CloudAccounts(CloudApi api) {
    this.api = api;
  }

  /** A database account in the cloud: status, description and privileges (database → privilege). */
  record CloudAccount(String status, String description, Map<String, String> privileges) {}

  /** The instance's accounts by name ({@code only}: just that one, else all). */
  Map<String, CloudAccount> cloudAccounts(Ctx c, String cloudId, String only) {
    Map<String, CloudAccount> out = new LinkedHashMap<>();
    var body = api.call(c.rds(), "DescribeAccounts", heartbeat("accounts"), rt -> c.rds().client()
        .describeAccountsWithOptions(new DescribeAccountsRequest().setDBInstanceId(cloudId).setAccountName(only), rt))
        .getBody();
    if (body.getAccounts() != null && body.getAccounts().getDBInstanceAccount() != null) {
      body.getAccounts().getDBInstanceAccount().forEach(a -> {
        Map<String, String> privileges = new TreeMap<>();
        if (a.getDatabasePrivileges() != null && a.getDatabasePrivileges().getDatabasePrivilege() != null) {
          a.getDatabasePrivileges().getDatabasePrivilege().forEach(p -> privileges.put(p.getDBName(), p.getAccountPrivilege()));
        }
        out.put(a.getAccountName(), new CloudAccount(a.getAccountStatus(), a.getAccountDescription(), privileges));
      });
    }
    return out;
  }

  /** A database in the cloud: status, description and privileges (account → privilege). */
  record CloudDatabase(String status, String description, Map<String, String> privileges) {}

  /** The instance's databases by name ({@code only}: just that one, else all). */
  Map<String, CloudDatabase> cloudDatabases(Ctx c, String cloudId, String only) {
    Map<String, CloudDatabase> out = new LinkedHashMap<>();
    var body = api.call(c.rds(), "DescribeDatabases", heartbeat("databases"), rt -> c.rds().client()
        .describeDatabasesWithOptions(new DescribeDatabasesRequest().setDBInstanceId(cloudId).setDBName(only), rt))
        .getBody();
    if (body.getDatabases() != null && body.getDatabases().getDatabase() != null) {
      body.getDatabases().getDatabase().forEach(d -> {
        Map<String, String> privileges = new TreeMap<>();
        if (d.getAccounts() != null && d.getAccounts().getAccountPrivilegeInfo() != null) {
          d.getAccounts().getAccountPrivilegeInfo().forEach(p -> privileges.put(p.getAccount(), p.getAccountPrivilege()));
        }
        out.put(d.getDBName(), new CloudDatabase(d.getDBStatus(), d.getDBDescription(), privileges));
      });
    }
    return out;
  }

  /**
   * Whether an account or database found in the cloud was made by rdsflow for this instance (or, in a clone, for the
   * instance it was restored from: the clone holds the source's accounts and databases).
   */
  static boolean own(Ctx c, CloudAccount a) {
    return a != null && c.owners().contains(a.description());
  }

  /** An account or database of the requested name exists: it must be this instance's own (see {@link #own}). */
  static void requireOwn(Ctx c, String cloudId, String kind, String name, String description) {
    if (description == null || !c.owners().contains(description)) {
      throw new StepFailure(kind + " " + name + " exists on " + cloudId + " but rdsflow did not create it for " + c.id()
          + " (its description is " + (description == null || description.isBlank() ? "empty" : "'" + description + "'")
          + ", not '" + ownerTag(c.id()) + "'): it is left alone; remove or rename it and create the instance again");
    }
  }
}

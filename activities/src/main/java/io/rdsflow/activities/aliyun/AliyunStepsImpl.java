package io.rdsflow.activities.aliyun;

import com.aliyun.rds20140815.models.CreateAccountRequest;
import com.aliyun.rds20140815.models.CreateDBInstanceRequest;
import com.aliyun.rds20140815.models.CreateDatabaseRequest;
import com.aliyun.rds20140815.models.DescribeAccountsRequest;
import com.aliyun.rds20140815.models.DescribeBackupPolicyRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceIPArrayListRequest;
import com.aliyun.rds20140815.models.DescribeDatabasesRequest;
import com.aliyun.rds20140815.models.DescribeParametersRequest;
import com.aliyun.rds20140815.models.GrantAccountPrivilegeRequest;
import com.aliyun.rds20140815.models.ModifyBackupPolicyRequest;
import com.aliyun.rds20140815.models.ModifyParameterRequest;
import com.aliyun.rds20140815.models.ModifySecurityIpsRequest;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.CloudInstanceDao;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.activities.steps.StepFailure;
import io.rdsflow.activities.steps.StepRunner;
import io.rdsflow.workflows.activities.AliyunSteps;
import io.rdsflow.workflows.create.AliyunPlan;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.time.Duration;
import java.time.Instant;
import io.temporal.activity.Activity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aliyun engine's steps (see {@link AliyunSteps}). Every cloud call goes through {@link CloudApi};
 * a non-retryable cloud answer fails the step for good with the cloud's code and message, a retryable one
 * that outlasts the call budget fails this attempt and Temporal retries the step.
 *
 * <p>Every change is made once, even when the cloud made it and its answer was lost (a 5xx or a dropped
 * connection after the effect): CreateDBInstance carries the instance's ClientToken; every other change
 * goes through {@link CloudApi#mutate}, which looks whether a try whose answer was lost took effect before
 * sending it again; and a retried step looks at the cloud before it changes anything. Accounts and
 * databases carry the description {@link #ownerTag}, so one found already there ("Duplicate") is known
 * to be this instance's own, made by an earlier try, and one that is not is refused.
 */
public final class AliyunStepsImpl implements AliyunSteps {
  private static final Logger LOG = LoggerFactory.getLogger(AliyunStepsImpl.class);
  static final String ENGINE = "MySQL";
  static final String STORAGE_TYPE = "cloud_essd";
  /** Security IP list of a new instance: nobody but the instance itself until do_flush_user_whitelist. */
  static final String CLOSED_WHITELIST = "127.0.0.1";
  static final String WEEK = "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday";
  /** A new instance may be unknown to Describe calls for a short while. */
  private static final Duration NOT_FOUND_GRACE = Duration.ofSeconds(60);

  private final StepRunner runner;
  private final InstanceDao instances;
  private final RequestDao requests;
  private final NodeDao nodes;
  private final StepDao steps;
  private final CloudInstanceDao cloud;
  private final SecretCipher cipher;
  private final AliyunClients clients;
  private final CloudApi api;

  public AliyunStepsImpl(StepRunner runner, InstanceDao instances, RequestDao requests, NodeDao nodes, StepDao steps,
      CloudInstanceDao cloud, SecretCipher cipher, AliyunClients clients, CloudApi api) {
    this.runner = runner;
    this.instances = instances;
    this.requests = requests;
    this.nodes = nodes;
    this.steps = steps;
    this.cloud = cloud;
    this.cipher = cipher;
    this.clients = clients;
    this.api = api;
  }

  /** What a step works on: the instance row, its request and the account's client for its region. */
  private record Ctx(InstanceDao.Instance ins, CreateRequest request, AliyunClients.Rds rds) {
    CreateRequest.Aliyun spec() {
      return request.aliyun();
    }

    String id() {
      return ins.id();
    }
  }

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

  @Override
  public StepResult doInit(StepInput in) {
    return step(in, () -> {
      Ctx c = ctx(in);
      CreateRequest.Aliyun s = c.spec();
      return StepResult.of("account " + c.ins().aliyunUid() + " (AccessKey " + mask(c.rds().accessKeyId()) + "), region "
          + c.rds().regionId() + ", zone " + s.zoneId() + ", " + s.instanceClass() + ", " + s.storageGb() + " GB, MySQL "
          + c.ins().engineVersion() + ", category " + AliyunPlan.category(c.ins().topology())
          + (s.vpcId() == null ? "" : ", VPC " + s.vpcId() + "/" + s.vswitchId()));
    });
  }

  @Override
  public StepResult doCheckAccountsAndDbs(StepInput in) {
    return step(in, () -> {
      List<RequestDao.Account> accounts = requests.accounts(in.instanceId(), "user");
      List<String> dbs = requests.databases(in.instanceId()).stream().map(RequestDao.Database::name).toList();
      int grants = 0;
      for (RequestDao.Account a : accounts) {
        for (CreateRequest.Privilege p : CreateRequest.privileges(a.privilegesJson())) {
          if (!dbs.contains(p.database())) {
            throw new StepFailure("account " + a.name() + " is granted " + p.privilege() + " on " + p.database()
                + ", which is not among the requested databases");
          }
          grants++;
        }
      }
      return StepResult.of(accounts.size() + " account(s), " + dbs.size() + " database(s), " + grants + " grant(s) to create");
    });
  }

  @Override
  public StepResult doCreateSingleTenantInsAndWaitFinish(StepInput in) {
    return step(in, () -> {
      Ctx c = ctx(in);
      CloudInstanceDao.CloudRef ref = cloud.get(c.id());
      String cloudId = ref.cloudInstanceId();
      boolean created = false;
      if (cloudId == null) {
        cloudId = create(c, ref.state() == null);
        created = true;
      }
      Instant startedAt = stepStartedAt(in);
      Instant deadline = startedAt.plus(api.settings().createTimeout());
      String id = cloudId;
      String status = waitForRunning(c, cloudId, deadline, () -> "waiting for " + id + " to be Running");
      long seconds = Duration.between(startedAt, Instant.now()).toSeconds();
      return StepResult.of((created ? "created " : "found ") + cloudId + " (ClientToken " + clientToken(c.id()) + "), "
          + status + " after " + seconds + " s");
    });
  }

  /** CreateDBInstance; {@code fresh}: no earlier try of this step sent one. */
  private String create(Ctx c, boolean fresh) {
    cloud.markCreateSent(c.id());
    CreateDBInstanceRequest request = createRequest(c);
    String cloudId;
    try {
      cloudId = api.call(c.rds(), "CreateDBInstance", heartbeat("creating"),
          rt -> c.rds().client().createDBInstanceWithOptions(request, rt)).getBody().getDBInstanceId();
    } catch (CloudError e) {
      if (fresh && !e.ambiguous()) {
        cloud.clearCreateSent(c.id());
      }
      throw e;
    }
    if (cloudId == null || cloudId.isBlank()) {
      throw new IllegalStateException("CreateDBInstance answered without a DBInstanceId");
    }
    cloud.created(c.id(), cloudId);
    LOG.info("[{}] cloud instance {} created in {} for account {} (ClientToken {})", c.id(), cloudId, c.rds().regionId(),
        c.ins().aliyunUid(), clientToken(c.id()));
    return cloudId;
  }

  private CreateDBInstanceRequest createRequest(Ctx c) {
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

  @Override
  public StepResult doFlushUserWhitelist(StepInput in) {
    return step(in, () -> {
      List<String> entries = requests.whitelist(in.instanceId(), "user");
      if (entries.isEmpty()) {
        return StepResult.skipped("no whitelist requested: only " + CLOSED_WHITELIST + " may connect");
      }
      Ctx c = ctx(in);
      String cloudId = cloudId(c);
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
  public StepResult doBuildParams(StepInput in) {
    return step(in, () -> {
      Ctx c = ctx(in);
      Map<String, String> wanted = new TreeMap<>(c.request().parameters() == null ? Map.of() : c.request().parameters());
      if (c.request().timeZone() != null) {
        wanted.put("default_time_zone", c.request().timeZone());
      }
      if (wanted.isEmpty()) {
        return StepResult.skipped("no parameters requested: the defaults of Alibaba Cloud RDS apply");
      }
      String cloudId = cloudId(c);
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
      waitForRunning(c, cloudId, deadline, () -> "waiting for " + cloudId + " to be Running after the parameters");
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

  @Override
  public StepResult doCreateAccounts(StepInput in) {
    return step(in, () -> {
      List<RequestDao.Account> accounts = requests.accounts(in.instanceId(), "user");
      if (accounts.isEmpty()) {
        return StepResult.skipped("no accounts requested");
      }
      Ctx c = ctx(in);
      String cloudId = cloudId(c);
      Map<String, CloudAccount> existing = cloudAccounts(c, cloudId, null);
      int created = 0;
      for (RequestDao.Account a : accounts) {
        String name = a.name();
        if (existing.containsKey(name)) {
          requireOwn(c, cloudId, "account", name, existing.get(name).description());
          continue;
        }
        String password = cipher.decrypt(a.encryptedPassword());
        try {
          api.mutate(c.rds(), "CreateAccount", heartbeat("account " + name),
              () -> own(c, cloudAccounts(c, cloudId, name).get(name)),
              rt -> c.rds().client().createAccountWithOptions(new CreateAccountRequest().setDBInstanceId(cloudId)
                  .setAccountName(name).setAccountPassword(password).setAccountType("Normal")
                  .setAccountDescription(ownerTag(c.id())), rt));
        } catch (CloudError e) {
          if (!e.duplicate()) {
            throw e;
          }
          // made by a try whose answer was lost, or by someone else
          CloudAccount found = cloudAccounts(c, cloudId, name).get(name);
          requireOwn(c, cloudId, "account", name, found == null ? null : found.description());
        }
        created++;
      }
      List<String> names = accounts.stream().map(RequestDao.Account::name).toList();
      awaitAll(names, "Available", () -> cloudAccounts(c, cloudId, null), CloudAccount::status, "accounts of " + cloudId);
      requests.setAccountStatus(in.instanceId(), "user", "Available");
      return StepResult.of(created + " account(s) created, " + names.size() + " Available on " + cloudId + ": " + names);
    });
  }

  /** A database account in the cloud: status, description and privileges (database → privilege). */
  private record CloudAccount(String status, String description, Map<String, String> privileges) {}

  /** The instance's accounts by name ({@code only}: just that one, else all). */
  private Map<String, CloudAccount> cloudAccounts(Ctx c, String cloudId, String only) {
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

  /** Whether an account or database found in the cloud was made by rdsflow for this instance. */
  private static boolean own(Ctx c, CloudAccount a) {
    return a != null && ownerTag(c.id()).equals(a.description());
  }

  /** An account or database of the requested name exists: it must be this instance's own. */
  private static void requireOwn(Ctx c, String cloudId, String kind, String name, String description) {
    if (!ownerTag(c.id()).equals(description)) {
      throw new StepFailure(kind + " " + name + " exists on " + cloudId + " but rdsflow did not create it for " + c.id()
          + " (its description is " + (description == null || description.isBlank() ? "empty" : "'" + description + "'")
          + ", not '" + ownerTag(c.id()) + "'): it is left alone; remove or rename it and create the instance again");
    }
  }

  @Override
  public StepResult doCreateDbs(StepInput in) {
    return step(in, () -> {
      List<RequestDao.Database> dbs = requests.databases(in.instanceId());
      if (dbs.isEmpty()) {
        return StepResult.skipped("no databases requested");
      }
      Ctx c = ctx(in);
      String cloudId = cloudId(c);
      Map<String, CloudDatabase> existing = cloudDatabases(c, cloudId, null);
      int created = 0;
      for (RequestDao.Database d : dbs) {
        String name = d.name();
        if (existing.containsKey(name)) {
          requireOwn(c, cloudId, "database", name, existing.get(name).description());
          continue;
        }
        try {
          api.mutate(c.rds(), "CreateDatabase", heartbeat("database " + name),
              () -> {
                CloudDatabase found = cloudDatabases(c, cloudId, name).get(name);
                return found != null && ownerTag(c.id()).equals(found.description());
              },
              rt -> c.rds().client().createDatabaseWithOptions(new CreateDatabaseRequest().setDBInstanceId(cloudId)
                  .setDBName(name).setCharacterSetName(d.charset().toLowerCase(Locale.ROOT))
                  .setDBDescription(ownerTag(c.id())), rt));
        } catch (CloudError e) {
          if (!e.duplicate()) {
            throw e;
          }
          CloudDatabase found = cloudDatabases(c, cloudId, name).get(name);
          requireOwn(c, cloudId, "database", name, found == null ? null : found.description());
        }
        created++;
      }
      List<String> names = dbs.stream().map(RequestDao.Database::name).toList();
      Map<String, CloudDatabase> running = awaitAll(names, "Running", () -> cloudDatabases(c, cloudId, null),
          CloudDatabase::status, "databases of " + cloudId);
      requests.setDatabaseStatus(in.instanceId(), "Running");
      List<String> grants = new ArrayList<>();
      for (RequestDao.Account a : requests.accounts(in.instanceId(), "user")) {
        // only what is not granted yet (a retried step finds what an earlier try granted)
        List<CreateRequest.Privilege> missing = CreateRequest.privileges(a.privilegesJson()).stream()
            .filter(p -> running.get(p.database()) == null
                || !p.privilege().equals(running.get(p.database()).privileges().get(a.name())))
            .toList();
        if (missing.isEmpty()) {
          continue;
        }
        String onDbs = missing.stream().map(CreateRequest.Privilege::database).collect(Collectors.joining(","));
        String what = missing.stream().map(CreateRequest.Privilege::privilege).collect(Collectors.joining(","));
        api.mutate(c.rds(), "GrantAccountPrivilege", heartbeat("grant " + a.name()),
            () -> {
              CloudAccount now = cloudAccounts(c, cloudId, a.name()).get(a.name());
              return now != null && missing.stream().allMatch(p -> p.privilege().equals(now.privileges().get(p.database())));
            },
            rt -> c.rds().client().grantAccountPrivilegeWithOptions(new GrantAccountPrivilegeRequest()
                .setDBInstanceId(cloudId).setAccountName(a.name()).setDBName(onDbs).setAccountPrivilege(what), rt));
        grants.add(a.name() + " " + what + " on " + onDbs);
      }
      return StepResult.of(created + " database(s) created, " + names.size() + " Running on " + cloudId + ": " + names
          + (grants.isEmpty() ? "" : "; granted " + String.join("; ", grants)));
    });
  }

  /** A database in the cloud: status, description and privileges (account → privilege). */
  private record CloudDatabase(String status, String description, Map<String, String> privileges) {}

  /** The instance's databases by name ({@code only}: just that one, else all). */
  private Map<String, CloudDatabase> cloudDatabases(Ctx c, String cloudId, String only) {
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

  /** Polls {@code read} until every name shows {@code wanted}; returns the last answer. */
  private <T> Map<String, T> awaitAll(List<String> names, String wanted, Supplier<Map<String, T>> read,
      Function<T, String> status, String what) {
    Instant deadline = Instant.now().plus(api.settings().createTimeout());
    while (true) {
      Map<String, T> now = read.get();
      List<String> notYet = names.stream().filter(n -> now.get(n) == null || !wanted.equals(status.apply(now.get(n))))
          .toList();
      if (notYet.isEmpty()) {
        return now;
      }
      List<String> missing = notYet.stream().filter(n -> !now.containsKey(n)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException(what + ": " + missing + " not found after they were created");
      }
      if (Instant.now().isAfter(deadline)) {
        throw new StepFailure(what + ": " + notYet + " not " + wanted + " within " + api.settings().createTimeout());
      }
      CloudApi.pause(api.settings().pollInterval(), heartbeat("waiting for " + notYet + " to be " + wanted));
    }
  }

  @Override
  public StepResult doInsertBaklist(StepInput in) {
    return step(in, () -> {
      Ctx c = ctx(in);
      CreateRequest.Backup backup = c.request().backup();
      if (backup == null) {
        return StepResult.skipped("no backup plan requested: the default policy of Alibaba Cloud RDS applies");
      }
      String cloudId = cloudId(c);
      String window = backupWindow(backup.preferredTime());
      String result = "daily backup of " + cloudId + " in " + window + ", kept " + backup.retentionDays() + " days";
      if (retried() && backupPolicyIs(c, cloudId, window, backup.retentionDays())) {
        requests.upsertBackupPlan(in.instanceId(), backup.retentionDays(), backup.preferredTime());
        return StepResult.of(result + " (set by an earlier try)");
      }
      api.mutate(c.rds(), "ModifyBackupPolicy", heartbeat("backup policy"),
          () -> backupPolicyIs(c, cloudId, window, backup.retentionDays()),
          rt -> c.rds().client().modifyBackupPolicyWithOptions(new ModifyBackupPolicyRequest().setDBInstanceId(cloudId)
              .setPreferredBackupTime(window).setPreferredBackupPeriod(WEEK)
              .setBackupRetentionPeriod(String.valueOf(backup.retentionDays())), rt));
      requests.upsertBackupPlan(in.instanceId(), backup.retentionDays(), backup.preferredTime());
      return StepResult.of(result);
    });
  }

  /** Whether the backup policy is the daily one in {@code window}, kept {@code days} days. */
  private boolean backupPolicyIs(Ctx c, String cloudId, String window, int days) {
    var body = api.call(c.rds(), "DescribeBackupPolicy", heartbeat("backup policy"), rt -> c.rds().client()
        .describeBackupPolicyWithOptions(new DescribeBackupPolicyRequest().setDBInstanceId(cloudId), rt)).getBody();
    return window.equals(body.getPreferredBackupTime()) && body.getPreferredBackupPeriod() != null
        && csvSet(body.getPreferredBackupPeriod()).equals(csvSet(WEEK)) && body.getBackupRetentionPeriod() != null
        && body.getBackupRetentionPeriod() == days;
  }

  /** {@code HH:mm} (UTC, whole hours) → the RDS window {@code HH:00Z-(HH+1):00Z}. */
  static String backupWindow(String preferredTime) {
    int hour = Integer.parseInt(preferredTime.substring(0, 2));
    return String.format(Locale.ROOT, "%02d:00Z-%02d:00Z", hour, hour + 1);
  }

  @Override
  public StepResult doInsertInstancePerfTable(StepInput in) {
    return step(in, () -> {
      InstanceDao.Instance ins = instances.get(in.instanceId());
      instances.setMonitoring(in.instanceId(), true, null, null);
      return StepResult.of("DAS session collection on (group aliyun-" + ins.aliyunUid() + ")");
    });
  }

  @Override
  public StepResult doActiveInstanceForInstall(StepInput in) {
    return step(in, () -> {
      Ctx c = ctx(in);
      String cloudId = cloudId(c);
      var attribute = describe(c, cloudId, api.settings().callBudget());
      if (!"Running".equals(attribute.getDBInstanceStatus())) {
        throw new IllegalStateException(cloudId + " is " + attribute.getDBInstanceStatus() + ", not Running yet");
      }
      int port = Integer.parseInt(attribute.getPort());
      nodes.upsert(in.instanceId(), "master", attribute.getConnectionString(), port);
      return StepResult.of("endpoint " + attribute.getConnectionString() + ":" + port + " (" + cloudId + ", "
          + attribute.getCategory() + ")");
    });
  }

  // ---- shared ------------------------------------------------------------------------------------

  /**
   * Polls DescribeDBInstanceAttribute until Running. A retryable failure (throttling, 5xx, the endpoint
   * unreachable) only costs a poll; the instance being deleted, or the deadline, fails the step.
   */
  String waitForRunning(Ctx c, String cloudId, Instant deadline, Supplier<String> doing) {
    Instant firstPoll = Instant.now();
    String last = "unknown";
    CloudError lastError = null;
    while (true) {
      try {
        var attribute = describe(c, cloudId, Duration.ZERO);
        last = attribute.getDBInstanceStatus();
        lastError = null;
        if ("Running".equals(last)) {
          return last;
        }
        if (last.equals("Deleting") || last.equals("Released") || last.equals("Deleted")) {
          throw new StepFailure(cloudId + " is " + last + ": it was deleted outside rdsflow");
        }
      } catch (CloudError e) {
        boolean young = Duration.between(firstPoll, Instant.now()).compareTo(NOT_FOUND_GRACE) < 0;
        if (!e.retryable() && !(e.notFound() && young)) {
          throw e;
        }
        lastError = e;
      }
      if (Instant.now().plus(api.settings().pollInterval()).isAfter(deadline)) {
        throw new StepFailure(cloudId + " was not Running within " + api.settings().createTimeout() + " (last status "
            + last + (lastError == null ? "" : ", last error " + lastError.getMessage()) + ")");
      }
      CloudApi.pause(api.settings().pollInterval(), heartbeat(doing.get() + " (now " + last + ")"));
    }
  }

  private com.aliyun.rds20140815.models.DescribeDBInstanceAttributeResponseBody
      .DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute describe(Ctx c, String cloudId, Duration budget) {
    var body = api.call(c.rds(), "DescribeDBInstanceAttribute", budget, heartbeat("describe " + cloudId), rt -> c.rds().client()
        .describeDBInstanceAttributeWithOptions(
            new com.aliyun.rds20140815.models.DescribeDBInstanceAttributeRequest().setDBInstanceId(cloudId), rt))
        .getBody();
    if (body.getItems() == null || body.getItems().getDBInstanceAttribute() == null
        || body.getItems().getDBInstanceAttribute().isEmpty()) {
      throw new IllegalStateException("DescribeDBInstanceAttribute of " + cloudId + " answered without the instance");
    }
    return body.getItems().getDBInstanceAttribute().get(0);
  }

  private StepResult step(StepInput in, StepRunner.Body body) {
    return runner.run(in, () -> {
      try {
        return body.run();
      } catch (CloudError e) {
        if (e.retryable()) {
          throw e;
        }
        throw new StepFailure(e.getMessage());
      } catch (AliyunClients.AccountUnavailable | SecretCipher.WrongKeyException e) {
        throw new StepFailure(e.getMessage());
      }
    });
  }

  private Ctx ctx(StepInput in) {
    InstanceDao.Instance ins = instances.get(in.instanceId());
    if (!"aliyun".equals(ins.engine()) || ins.aliyunUid() == null || ins.requestJson() == null) {
      throw new StepFailure("instance " + ins.id() + " is not an aliyun instance created by rdsflow");
    }
    CreateRequest request = Json.read(ins.requestJson(), CreateRequest.class);
    if (request.aliyun() == null) {
      throw new StepFailure("the request of " + ins.id() + " has no aliyun fields");
    }
    return new Ctx(ins, request, clients.rds(ins.aliyunUid(), ins.regionId()));
  }

  private String cloudId(Ctx c) {
    String id = cloud.get(c.id()).cloudInstanceId();
    if (id == null) {
      throw new StepFailure("no cloud instance is recorded for " + c.id());
    }
    return id;
  }

  /** When this step first started, over all its attempts (the creation deadline counts from there). */
  private Instant stepStartedAt(StepInput in) {
    return steps.steps(in.workflowId()).stream().filter(s -> s.seq() == in.seq()).findFirst()
        .map(StepDao.StepRow::startedAt).filter(t -> t != null).orElse(Instant.now());
  }

  private static Runnable heartbeat(String detail) {
    return () -> StepRunner.heartbeat(detail);
  }

  /** Whether an earlier attempt of this step ran (and may have changed the cloud already). */
  private static boolean retried() {
    return Activity.getExecutionContext().getInfo().getAttempt() > 1;
  }

  private static Set<String> csvSet(String csv) {
    Set<String> out = new HashSet<>();
    Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
    return out;
  }

  static String mask(String accessKeyId) {
    return accessKeyId.length() <= 8 ? "****" : accessKeyId.substring(0, 4) + "****"
        + accessKeyId.substring(accessKeyId.length() - 4);
  }
}

package io.rdsflow.activities.aliyun;

import static io.rdsflow.activities.aliyun.CloudAccounts.own;
import static io.rdsflow.activities.aliyun.CloudAccounts.requireOwn;
import static io.rdsflow.activities.aliyun.CloudRequests.ownerTag;
import static io.rdsflow.activities.aliyun.CloudStep.heartbeat;

import com.aliyun.rds20140815.models.CreateAccountRequest;
import com.aliyun.rds20140815.models.CreateDatabaseRequest;
import com.aliyun.rds20140815.models.GrantAccountPrivilegeRequest;
import io.rdsflow.activities.aliyun.CloudAccounts.CloudAccount;
import io.rdsflow.activities.aliyun.CloudAccounts.CloudDatabase;
import io.rdsflow.activities.aliyun.CloudStep.Ctx;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.workflows.activities.AliyunAccountSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The requested accounts, databases and grants on the cloud instance (see {@link CloudStep}, {@link CloudAccounts}). */
public final class AliyunAccountStepsImpl implements AliyunAccountSteps {
  private final CloudStep step;
  private final RequestDao requests;
  private final SecretCipher cipher;
  private final CloudApi api;
  private final CloudPolling polling;
  private final CloudAccounts described;

  public AliyunAccountStepsImpl(CloudStep step, RequestDao requests, SecretCipher cipher, CloudApi api) {
    this.step = step;
    this.requests = requests;
    this.cipher = cipher;
    this.api = api;
    this.polling = new CloudPolling(api);
    this.described = new CloudAccounts(api);
  }

  @Override
  public StepResult doCreateAccounts(StepInput in) { // do_create_accounts
    return step.run(in, () -> {
      List<RequestDao.Account> accounts = requests.accounts(in.instanceId(), "user");
      if (accounts.isEmpty()) {
        return StepResult.skipped("no accounts requested");
      }
      Ctx c = step.ctx(in);
      String cloudId = step.cloudId(c);
      Map<String, CloudAccount> existing = described.cloudAccounts(c, cloudId, null);
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
              () -> own(c, described.cloudAccounts(c, cloudId, name).get(name)),
              rt -> c.rds().client().createAccountWithOptions(new CreateAccountRequest().setDBInstanceId(cloudId)
                  .setAccountName(name).setAccountPassword(password).setAccountType("Normal")
                  .setAccountDescription(ownerTag(c.id())), rt));
        } catch (CloudError e) {
          if (!e.duplicate()) {
            throw e;
          }
          // made by a try whose answer was lost, or by someone else
          CloudAccount found = described.cloudAccounts(c, cloudId, name).get(name);
          requireOwn(c, cloudId, "account", name, found == null ? null : found.description());
        }
        created++;
      }
      List<String> names = accounts.stream().map(RequestDao.Account::name).toList();
      polling.awaitAll(names, "Available", () -> described.cloudAccounts(c, cloudId, null), CloudAccount::status,
          "accounts of " + cloudId);
      requests.setAccountStatus(in.instanceId(), "user", "Available");
      return StepResult.of(created + " account(s) created, " + names.size() + " Available on " + cloudId + ": " + names);
    });
  }

  @Override
  public StepResult doCreateDbs(StepInput in) { // do_create_dbs
    return step.run(in, () -> {
      List<RequestDao.Database> dbs = requests.databases(in.instanceId());
      if (dbs.isEmpty()) {
        return StepResult.skipped("no databases requested");
      }
      Ctx c = step.ctx(in);
      String cloudId = step.cloudId(c);
      Map<String, CloudDatabase> existing = described.cloudDatabases(c, cloudId, null);
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
                CloudDatabase found = described.cloudDatabases(c, cloudId, name).get(name);
                return found != null && ownerTag(c.id()).equals(found.description());
              },
              rt -> c.rds().client().createDatabaseWithOptions(new CreateDatabaseRequest().setDBInstanceId(cloudId)
                  .setDBName(name).setCharacterSetName(d.charset().toLowerCase(Locale.ROOT))
                  .setDBDescription(ownerTag(c.id())), rt));
        } catch (CloudError e) {
          if (!e.duplicate()) {
            throw e;
          }
          CloudDatabase found = described.cloudDatabases(c, cloudId, name).get(name);
          requireOwn(c, cloudId, "database", name, found == null ? null : found.description());
        }
        created++;
      }
      List<String> names = dbs.stream().map(RequestDao.Database::name).toList();
      Map<String, CloudDatabase> running = polling.awaitAll(names, "Running", () -> described.cloudDatabases(c, cloudId, null),
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
              CloudAccount now = described.cloudAccounts(c, cloudId, a.name()).get(a.name());
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
}

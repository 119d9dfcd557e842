package io.rdsflow.testkit.aliyun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RDS actions on database accounts and databases of one instance: CreateAccount,
 * DescribeAccounts (AccountStatus Unavailable → Available), CreateDatabase, DescribeDatabases
 * (DBStatus Creating → Running, with the accounts' privileges) and GrantAccountPrivilege.
 * Called by {@link SimulatedRds} under its lock, with the instance already resolved.
 */
final class RdsAccountsAndDatabases {

    private static final Set<String> PRIVILEGES = Set.of("ReadWrite", "ReadOnly", "DDLOnly", "DMLOnly", "DBOwner");
    private static final Set<String> CHARSETS = Set.of("utf8", "utf8mb4", "gbk", "latin1");
    private static final Pattern ACCOUNT_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,30}[a-z0-9]$");
    private static final Pattern DB_NAME = Pattern.compile("^[a-z][a-z0-9_-]{0,62}[a-z0-9]$");
    private static final String RW_DETAIL = "SELECT,INSERT,UPDATE,DELETE,CREATE,DROP,REFERENCES,INDEX,ALTER,"
            + "CREATE TEMPORARY TABLES,LOCK TABLES,EXECUTE,CREATE VIEW,SHOW VIEW,CREATE ROUTINE,ALTER ROUTINE,EVENT,TRIGGER";
    private static final Map<String, String> PRIVILEGE_DETAIL = Map.of(
            "ReadWrite", RW_DETAIL,
            "ReadOnly", "SELECT,LOCK TABLES,SHOW VIEW,EXECUTE",
            "DDLOnly", "CREATE,DROP,INDEX,ALTER,CREATE TEMPORARY TABLES,LOCK TABLES,CREATE VIEW,SHOW VIEW,CREATE ROUTINE,ALTER ROUTINE,EVENT,TRIGGER",
            "DMLOnly", "SELECT,INSERT,UPDATE,DELETE,CREATE TEMPORARY TABLES,LOCK TABLES,EXECUTE,SHOW VIEW,EVENT,TRIGGER",
            "DBOwner", RW_DETAIL);

    private final SimulatedRds rds;

    RdsAccountsAndDatabases(SimulatedRds rds) {
        this.rds = rds;
    }

    Map<String, Object> createAccount(RdsInstance i, ApiCall call, Instant now) {
        String name = call.required("AccountName");
        String password = call.required("AccountPassword");
        String type = call.get("AccountType", "Normal");
        if (!ACCOUNT_NAME.matcher(name).matches() || Set.of("root", "admin", "mysql").contains(name)) {
            throw OpenApiError.malformed("AccountName", name);
        }
        if (!strongPassword(password)) {
            throw new OpenApiError(400, "InvalidAccountPassword.Malformed",
                    "The password must be 8 to 32 characters long and contain at least three of: upper case, lower case, digits, special characters.");
        }
        if (!type.equals("Normal") && !type.equals("Super")) {
            throw OpenApiError.malformed("AccountType", type);
        }
        rds.requireRunning(i, now);
        if (i.accounts.containsKey(name)) {
            throw new OpenApiError(400, "InvalidAccountName.Duplicate", "Specified account name already exists: " + name);
        }
        i.accounts.put(name, new RdsInstance.DbAccount(name, type, call.get("AccountDescription", ""),
                now.plus(rds.accountDelay())));
        return Json.obj("RequestId", call.requestId());
    }

    private static boolean strongPassword(String p) {
        if (p.length() < 8 || p.length() > 32) {
            return false;
        }
        int classes = 0;
        classes += p.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        classes += p.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        classes += p.chars().anyMatch(Character::isDigit) ? 1 : 0;
        classes += p.chars().anyMatch(c -> "!@#$%^&*()_+-=".indexOf(c) >= 0) ? 1 : 0;
        return classes >= 3 && p.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    Map<String, Object> describeAccounts(RdsInstance i, ApiCall call, Instant now) {
        String only = call.get("AccountName");
        List<Map<String, Object>> items = new ArrayList<>();
        for (RdsInstance.DbAccount a : i.accounts.values()) {
            if (only != null && !only.equals(a.name)) {
                continue;
            }
            List<Map<String, Object>> privs = new ArrayList<>();
            a.privileges.forEach((db, priv) -> privs.add(Json.obj("DBName", db, "AccountPrivilege", priv,
                    "AccountPrivilegeDetail", PRIVILEGE_DETAIL.get(priv))));
            items.add(Json.obj(
                    "DBInstanceId", i.id,
                    "AccountName", a.name,
                    "AccountStatus", a.status(now),
                    "AccountType", a.type,
                    "AccountDescription", a.description,
                    "PrivExceeded", "0",
                    "DatabasePrivileges", Json.wrapped("DatabasePrivilege", privs)));
        }
        return Json.obj("RequestId", call.requestId(), "Accounts", Json.wrapped("DBInstanceAccount", items));
    }

    Map<String, Object> createDatabase(RdsInstance i, ApiCall call, Instant now) {
        String name = call.required("DBName");
        String charset = call.required("CharacterSetName");
        if (!DB_NAME.matcher(name).matches()) {
            throw OpenApiError.malformed("DBName", name);
        }
        if (!CHARSETS.contains(charset)) {
            throw OpenApiError.malformed("CharacterSetName", charset);
        }
        rds.requireRunning(i, now);
        if (i.databases.containsKey(name)) {
            throw new OpenApiError(400, "InvalidDBName.Duplicate", "Specified database name already exists: " + name);
        }
        i.databases.put(name, new RdsInstance.Database(name, charset, call.get("DBDescription", ""),
                now.plus(rds.databaseDelay())));
        return Json.obj("RequestId", call.requestId());
    }

    Map<String, Object> describeDatabases(RdsInstance i, ApiCall call, Instant now) {
        String only = call.get("DBName");
        String statusFilter = call.get("DBStatus");
        List<Map<String, Object>> items = new ArrayList<>();
        for (RdsInstance.Database d : i.databases.values()) {
            if ((only != null && !only.equals(d.name)) || (statusFilter != null && !statusFilter.equals(d.status(now)))) {
                continue;
            }
            List<Map<String, Object>> privs = new ArrayList<>();
            for (RdsInstance.DbAccount a : i.accounts.values()) {
                String priv = a.privileges.get(d.name);
                if (priv != null) {
                    privs.add(Json.obj("Account", a.name, "AccountPrivilege", priv,
                            "AccountPrivilegeDetail", PRIVILEGE_DETAIL.get(priv)));
                }
            }
            items.add(Json.obj(
                    "DBName", d.name,
                    "DBInstanceId", i.id,
                    "Engine", i.engine,
                    "DBStatus", d.status(now),
                    "CharacterSetName", d.charset,
                    "DBDescription", d.description,
                    "ResourceGroupId", i.resourceGroupId,
                    "Accounts", Json.wrapped("AccountPrivilegeInfo", privs)));
        }
        return Json.obj("RequestId", call.requestId(), "Databases", Json.wrapped("Database", items));
    }

    Map<String, Object> grantAccountPrivilege(RdsInstance i, ApiCall call, Instant now) {
        String accountName = call.required("AccountName");
        List<String> dbs = ApiCall.splitCsv(call.required("DBName"));
        List<String> privs = ApiCall.splitCsv(call.required("AccountPrivilege"));
        if (dbs.size() != privs.size()) {
            throw new OpenApiError(400, "InvalidAccountPrivilege.Malformed",
                    "The number of DBName and AccountPrivilege values must match.");
        }
        for (String p : privs) {
            if (!PRIVILEGES.contains(p)) {
                throw OpenApiError.malformed("AccountPrivilege", p);
            }
        }
        rds.requireRunning(i, now);
        RdsInstance.DbAccount account = i.accounts.get(accountName);
        if (account == null) {
            throw new OpenApiError(404, "InvalidAccountName.NotFound", "Specified account does not exist: " + accountName);
        }
        if (!account.status(now).equals("Available")) {
            throw new OpenApiError(400, "IncorrectAccountStatus", "Current account status does not support this operation.");
        }
        for (String db : dbs) {
            RdsInstance.Database d = i.databases.get(db);
            if (d == null) {
                throw new OpenApiError(404, "InvalidDBName.NotFound", "Specified database does not exist: " + db);
            }
            if (!d.status(now).equals("Running")) {
                throw new OpenApiError(400, "IncorrectDBStatus", "Current database status does not support this operation: " + db);
            }
        }
        for (int k = 0; k < dbs.size(); k++) {
            account.privileges.put(dbs.get(k), privs.get(k));
        }
        return Json.obj("RequestId", call.requestId());
    }
}

package io.rdsflow.testkit.aliyun;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simulated RDS service (API version 2014-08-15): instances per account uid with their
 * time-driven life cycle (Creating → Running after {@link #setCreateDelay}, Deleting → removed
 * after {@link #setDeleteDelay}), database accounts (Unavailable → Available), databases
 * (Creating → Running), privileges, IP whitelists, parameters (new value visible after
 * {@link #setParameterDelay}), backup policy, backups and clones ({@link RdsBackups}) and DescribeTasks.
 *
 * <p>Actions: CreateDBInstance, DescribeDBInstanceAttribute, DescribeDBInstances, CreateAccount,
 * DescribeAccounts, CreateDatabase, DescribeDatabases, GrantAccountPrivilege, ModifySecurityIps,
 * DescribeDBInstanceIPArrayList, ModifyParameter, DescribeParameters, ModifyBackupPolicy,
 * DescribeBackupPolicy, DeleteDBInstance, DescribeTasks, DescribeDBInstanceHAConfig,
 * SwitchDBInstanceHA, RestartDBInstance, ModifyDBInstanceSpec, UpgradeDBInstanceKernelVersion, CreateBackup,
 * DescribeBackupTasks, DescribeBackups, CloneDBInstance. This class holds the per-account
 * state, configuration, test hooks and the instance-level actions; account/database actions
 * live in {@link RdsAccountsAndDatabases}, whitelist/parameter/backup actions in
 * {@link RdsInstanceSettings}, nodes, switchover and restart in {@link RdsHighAvailability}, class, storage and
 * kernel version in {@link RdsSpecChanges}, backups and clones in {@link RdsBackups}.
 *
 * <p>Instances are isolated per account: another account's instance id is
 * {@code InvalidDBInstanceId.NotFound} (404). Calls needing a Running instance answer the
 * wrong-state error ({@code IncorrectDBInstanceState}, HTTP 500 by default; see
 * {@link #setWrongStateError}). All methods are synchronized on this object.
 */
public final class SimulatedRds {

    public static final String VERSION = "2014-08-15";
    static final String HOST_ID = "rds.aliyuncs.com";

    public static final Set<String> ACTIONS = Set.of(
            "CreateDBInstance", "DescribeDBInstanceAttribute", "DescribeDBInstances",
            "CreateAccount", "DescribeAccounts", "CreateDatabase", "DescribeDatabases", "GrantAccountPrivilege",
            "ModifySecurityIps", "DescribeDBInstanceIPArrayList", "ModifyParameter", "DescribeParameters",
            "ModifyBackupPolicy", "DescribeBackupPolicy", "DeleteDBInstance", "DescribeTasks",
            "DescribeDBInstanceHAConfig", "SwitchDBInstanceHA", "RestartDBInstance", "ModifyDBInstanceSpec",
            "UpgradeDBInstanceKernelVersion", "CreateBackup", "DescribeBackupTasks", "DescribeBackups", "CloneDBInstance");

    /** The actions that change something: the ones random after-effect faults strike and {@link #effects} counts. */
    public static final Set<String> MUTATING_ACTIONS = Set.of(
            "CreateDBInstance", "CreateAccount", "CreateDatabase", "GrantAccountPrivilege", "ModifySecurityIps",
            "ModifyParameter", "ModifyBackupPolicy", "DeleteDBInstance", "SwitchDBInstanceHA", "RestartDBInstance",
            "ModifyDBInstanceSpec", "UpgradeDBInstanceKernelVersion", "CreateBackup", "CloneDBInstance");

    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Set<String> ENGINES = Set.of("MySQL", "SQLServer", "PostgreSQL", "MariaDB");
    private static final Set<String> PAY_TYPES = Set.of("Postpaid", "Prepaid", "Serverless");
    private static final Set<String> NET_TYPES = Set.of("Internet", "Intranet");
    private static final Set<String> CATEGORIES = Set.of(
            "Basic", "HighAvailability", "AlwaysOn", "Finance", "cluster", "serverless_basic", "serverless_standard",
            "serverless_ha");
    private static final Map<String, String> DEFAULT_PARAMETERS;

    static {
        Map<String, String> p = new TreeMap<>();
        p.put("character_set_server", "utf8");
        p.put("innodb_buffer_pool_size", "{DBInstanceClassMemory*3/4}");
        p.put("innodb_lock_wait_timeout", "50");
        p.put("interactive_timeout", "7200");
        p.put("long_query_time", "1");
        p.put("lower_case_table_names", "1");
        p.put("max_allowed_packet", "1073741824");
        p.put("max_connections", "2000");
        p.put("slow_query_log", "ON");
        p.put("sql_mode", "");
        p.put("time_zone", "SYSTEM");
        p.put("transaction_isolation", "READ-COMMITTED");
        p.put("wait_timeout", "86400");
        DEFAULT_PARAMETERS = Map.copyOf(p);
    }

    private static final class Tenant {
        final Map<String, RdsInstance> instances = new LinkedHashMap<>();
        /** Every instance id this account ever owned (DescribeTasks works after removal). */
        final Set<String> everOwned = new HashSet<>();
        final Map<String, IdempotentCreate> clientTokens = new HashMap<>();
        final List<RdsTask> tasks = new ArrayList<>();
    }

    private record IdempotentCreate(String fingerprint, Map<String, Object> response) {
    }

    private final Clock clock;
    private final RdsAccountsAndDatabases accounts = new RdsAccountsAndDatabases(this);
    private final RdsInstanceSettings settings = new RdsInstanceSettings(this);
    private final RdsHighAvailability ha = new RdsHighAvailability(this);
    private final RdsSpecChanges specs = new RdsSpecChanges(this);
    private final RdsBackups backups = new RdsBackups(this);
    private final Map<String, Tenant> tenants = new HashMap<>();
    private Duration createDelay = Duration.ofSeconds(1);
    private Duration deleteDelay = Duration.ofSeconds(1);
    private Duration accountDelay = Duration.ofMillis(200);
    private Duration databaseDelay = Duration.ofMillis(200);
    private Duration parameterDelay = Duration.ofMillis(500);
    private Duration switchDelay = Duration.ofMillis(500);
    private Duration restartDelay = Duration.ofMillis(500);
    private Duration specDelay = Duration.ofMillis(500);
    private Duration backupDelay = Duration.ofMillis(500);
    private int failingBackups;
    private String wrongStateCode = "IncorrectDBInstanceState";
    private int wrongStateHttpStatus = 500;
    private long instancesCreated;

    SimulatedRds(Clock clock) {
        this.clock = clock;
    }

    // ---- configuration -------------------------------------------------------------------

    /** How long a new instance stays Creating (default 1 s). */
    public synchronized SimulatedRds setCreateDelay(Duration d) {
        createDelay = nonNegative(d);
        return this;
    }

    /** How long a deleted instance stays Deleting before it disappears (default 1 s). */
    public synchronized SimulatedRds setDeleteDelay(Duration d) {
        deleteDelay = nonNegative(d);
        return this;
    }

    /** How long a new database account stays Unavailable (default 200 ms). */
    public synchronized SimulatedRds setAccountDelay(Duration d) {
        accountDelay = nonNegative(d);
        return this;
    }

    /** How long a new database stays Creating (default 200 ms). */
    public synchronized SimulatedRds setDatabaseDelay(Duration d) {
        databaseDelay = nonNegative(d);
        return this;
    }

    /** How long until a ModifyParameter value shows in RunningParameters (default 500 ms). */
    public synchronized SimulatedRds setParameterDelay(Duration d) {
        parameterDelay = nonNegative(d);
        return this;
    }

    /** How long a SwitchDBInstanceHA keeps the instance HASwitching before the roles are swapped (default 500 ms). */
    public synchronized SimulatedRds setSwitchDelay(Duration d) {
        switchDelay = nonNegative(d);
        return this;
    }

    /** How long ModifyDBInstanceSpec or UpgradeDBInstanceKernelVersion keeps the instance busy (default 500 ms). */
    public synchronized SimulatedRds setSpecDelay(Duration d) {
        specDelay = nonNegative(d);
        return this;
    }

    /** How long a CreateBackup job runs before its set shows in DescribeBackups (default 500 ms). */
    public synchronized SimulatedRds setBackupDelay(Duration d) {
        backupDelay = nonNegative(d);
        return this;
    }

    /** The next {@code n} CreateBackup jobs end Failed (their sets are listed with BackupStatus Failed). */
    public synchronized SimulatedRds failNextBackups(int n) {
        failingBackups = n;
        return this;
    }

    /** How long a RestartDBInstance keeps the instance Rebooting (default 500 ms). */
    public synchronized SimulatedRds setRestartDelay(Duration d) {
        restartDelay = nonNegative(d);
        return this;
    }

    /**
     * The error for calls that need a Running instance while it is in another state; default
     * {@code IncorrectDBInstanceState} / 500, alternative {@code OperationDenied.DBInstanceStatus} / 400.
     */
    public synchronized SimulatedRds setWrongStateError(String code, int httpStatus) {
        new OpenApiError(httpStatus, code, "check"); // validates the status
        wrongStateCode = code;
        wrongStateHttpStatus = httpStatus;
        return this;
    }

    private static Duration nonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
        return d;
    }

    // ---- test hooks ----------------------------------------------------------------------

    /**
     * Registers an already existing, Running instance for {@code uid} (for "register existing
     * instance" flows) with defaults: MySQL 8.0, mysql.n2.medium.2c, 100 GB, cn-hangzhou.
     * {@code attributes} uses CreateDBInstance parameter names (RegionId, ZoneId, Engine,
     * EngineVersion, DBInstanceClass, DBInstanceStorage, VPCId, VSwitchId, Category,
     * SecurityIPList, DBInstanceDescription, ...) and may carry the DBInstanceId to use.
     *
     * @return the instance id
     */
    public synchronized String registerInstance(String uid, Map<String, String> attributes) {
        Tenant t = tenant(uid);
        Map<String, String> p = new HashMap<>(attributes);
        String id = p.getOrDefault("DBInstanceId", Ids.dbInstanceId());
        if (t.instances.containsKey(id)) {
            throw new IllegalArgumentException("instance " + id + " already exists for uid " + uid);
        }
        Instant now = clock.instant();
        p.putIfAbsent("RegionId", "cn-hangzhou");
        p.putIfAbsent("Engine", "MySQL");
        p.putIfAbsent("EngineVersion", "8.0");
        p.putIfAbsent("DBInstanceClass", "mysql.n2.medium.2c");
        p.putIfAbsent("DBInstanceStorage", "100");
        p.putIfAbsent("DBInstanceNetType", "Intranet");
        p.putIfAbsent("PayType", "Postpaid");
        p.putIfAbsent("SecurityIPList", "127.0.0.1");
        ApiCall call = new ApiCall("RegisterInstance", VERSION, uid, "-", "-", p);
        RdsInstance inst = newInstance(id, call, now);
        inst.runningAt = now;
        t.instances.put(id, inst);
        t.everOwned.add(id);
        return id;
    }

    /** Registers an existing Running instance with all defaults. */
    public synchronized String registerInstance(String uid, String instanceId) {
        return registerInstance(uid, Map.of("DBInstanceId", instanceId));
    }

    /** Ids of the account's instances (including Creating/Deleting ones), in creation order. */
    public synchronized List<String> instanceIds(String uid) {
        Tenant t = tenant(uid);
        sweep(t, clock.instant());
        return List.copyOf(t.instances.keySet());
    }

    /** Current status of an instance, empty when it does not exist (for that account). */
    public synchronized Optional<String> instanceStatus(String uid, String instanceId) {
        Instant now = clock.instant();
        Tenant t = tenant(uid);
        sweep(t, now);
        RdsInstance i = t.instances.get(instanceId);
        return i == null ? Optional.empty() : Optional.of(i.status(now));
    }

    /**
     * Everything about an instance as plain data: the DescribeDBInstanceAttribute item plus
     * {@code Accounts} (name → status/type/privileges), {@code Databases} (name → status),
     * {@code SecurityIps} (whitelist → ips), {@code Parameters} (running values) and
     * {@code BackupPolicy}.
     */
    public synchronized Optional<Map<String, Object>> instanceSnapshot(String uid, String instanceId) {
        Instant now = clock.instant();
        Tenant t = tenant(uid);
        sweep(t, now);
        RdsInstance i = t.instances.get(instanceId);
        if (i == null) {
            return Optional.empty();
        }
        i.settleParameters(now);
        Map<String, Object> m = attributeItem(i, now);
        Map<String, Object> accounts = new LinkedHashMap<>();
        i.accounts.values().forEach(a -> accounts.put(a.name, Json.obj("AccountStatus", a.status(now),
                "AccountType", a.type, "Privileges", new LinkedHashMap<>(a.privileges))));
        m.put("Accounts", accounts);
        Map<String, Object> dbs = new LinkedHashMap<>();
        i.databases.values().forEach(d -> dbs.put(d.name, Json.obj("DBStatus", d.status(now),
                "CharacterSetName", d.charset)));
        m.put("Databases", dbs);
        Map<String, Object> ips = new LinkedHashMap<>();
        i.ipArrays.values().forEach(a -> ips.put(a.name, List.copyOf(a.ips)));
        m.put("SecurityIps", ips);
        Map<String, String> params = new TreeMap<>();
        i.parameters.forEach((k, v) -> params.put(k, v.running));
        m.put("Parameters", params);
        m.put("BackupPolicy", new LinkedHashMap<>(i.backupPolicy));
        m.put("Effects", new TreeMap<>(i.effects));
        if (i.origin != null) {
            m.put("CloneOrigin", Json.obj("SourceDBInstanceId", i.origin.sourceInstanceId(), "BackupId", i.origin.backupId(),
                    "RestoreTime", i.origin.restoreTime()));
        }
        return Optional.of(m);
    }

    /**
     * How often each change took effect on an instance: {@code CreateDBInstance} (a ClientToken
     * replay is not counted), {@code CreateAccount:<name>}, {@code CreateDatabase:<name>},
     * {@code GrantAccountPrivilege:<account>}, {@code ModifySecurityIps:<whitelist>},
     * {@code ModifyParameter:<names, sorted, comma-separated>}, {@code ModifyBackupPolicy},
     * {@code DeleteDBInstance}. A count above 1 means the same change was made again (e.g. a
     * retry after a lost answer). Empty when the instance does not exist.
     */
    public synchronized Map<String, Integer> effects(String uid, String instanceId) {
        Tenant t = tenant(uid);
        sweep(t, clock.instant());
        RdsInstance i = t.instances.get(instanceId);
        return i == null ? Map.of() : new TreeMap<>(i.effects);
    }

    /**
     * Every instance of every account (also served at {@code GET /_sim/instances}): uid, id,
     * description, status, {@code Accounts} and {@code Databases} (name → description) and
     * {@code Effects} (see {@link #effects}).
     */
    public synchronized List<Map<String, Object>> effectsView() {
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        new TreeMap<>(tenants).forEach((uid, t) -> {
            sweep(t, now);
            for (RdsInstance i : t.instances.values()) {
                Map<String, Object> accounts = new LinkedHashMap<>();
                i.accounts.values().forEach(a -> accounts.put(a.name, a.description));
                Map<String, Object> dbs = new LinkedHashMap<>();
                i.databases.values().forEach(d -> dbs.put(d.name, d.description));
                out.add(Json.obj("uid", uid, "DBInstanceId", i.id, "DBInstanceDescription", i.description,
                        "DBInstanceStatus", i.status(now), "Accounts", accounts, "Databases", dbs,
                        "Effects", new TreeMap<>(i.effects)));
            }
        });
        return out;
    }

    /** Forces a status (e.g. "Stopped", "Running"); null returns to the time-driven status. */
    public synchronized void setInstanceStatus(String uid, String instanceId, String status) {
        RdsInstance i = tenant(uid).instances.get(instanceId);
        if (i == null) {
            throw new IllegalArgumentException("no instance " + instanceId + " for uid " + uid);
        }
        i.statusOverride = status;
    }

    /**
     * The instance's nodes as DescribeDBInstanceHAConfig lists them, node id → {@code Master}/{@code Slave}
     * (a switchover whose HASwitching period is over is applied first); empty when the instance does not exist.
     */
    public synchronized Map<String, String> haNodes(String uid, String instanceId) {
        Instant now = clock.instant();
        Tenant t = tenant(uid);
        sweep(t, now);
        RdsInstance i = t.instances.get(instanceId);
        Map<String, String> out = new LinkedHashMap<>();
        if (i != null) {
            i.settleSwitch(now);
            i.haNodes.forEach(n -> out.put(n.nodeId, n.type));
        }
        return out;
    }

    /** How many CreateDBInstance calls actually created an instance (idempotent replays excluded). */
    public synchronized long instancesCreated() {
        return instancesCreated;
    }

    /**
     * What a CloneDBInstance made this instance from: {@code SourceDBInstanceId} and {@code BackupId} or
     * {@code RestoreTime} (as sent); empty for an instance that is no clone or does not exist.
     */
    public synchronized Map<String, String> cloneOrigin(String uid, String instanceId) {
        RdsInstance i = tenant(uid).instances.get(instanceId);
        if (i == null || i.origin == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("SourceDBInstanceId", i.origin.sourceInstanceId());
        if (i.origin.backupId() != null) {
            out.put("BackupId", i.origin.backupId());
        }
        if (i.origin.restoreTime() != null) {
            out.put("RestoreTime", i.origin.restoreTime());
        }
        return out;
    }

    /** Forgets every instance, token and task of every account. */
    public synchronized void reset() {
        failingBackups = 0;
        tenants.clear();
        instancesCreated = 0;
    }

    // ---- dispatch ------------------------------------------------------------------------

    synchronized Map<String, Object> handle(ApiCall call) {
        Instant now = clock.instant();
        Tenant t = tenant(call.uid());
        sweep(t, now);
        long createdBefore = instancesCreated;
        Map<String, Object> result = switch (call.action()) {
            case "CreateDBInstance" -> createDBInstance(t, call, now);
            case "DescribeDBInstanceAttribute" -> describeDBInstanceAttribute(t, call, now);
            case "DescribeDBInstances" -> describeDBInstances(t, call, now);
            case "CreateAccount" -> accounts.createAccount(instance(t, call), call, now);
            case "DescribeAccounts" -> accounts.describeAccounts(instance(t, call), call, now);
            case "CreateDatabase" -> accounts.createDatabase(instance(t, call), call, now);
            case "DescribeDatabases" -> accounts.describeDatabases(instance(t, call), call, now);
            case "GrantAccountPrivilege" -> accounts.grantAccountPrivilege(instance(t, call), call, now);
            case "ModifySecurityIps" -> settings.modifySecurityIps(instance(t, call), call, now);
            case "DescribeDBInstanceIPArrayList" -> settings.describeIpArrays(instance(t, call), call, now);
            case "ModifyParameter" -> modifyParameter(t, call, now);
            case "DescribeParameters" -> settings.describeParameters(instance(t, call), call, now);
            case "ModifyBackupPolicy" -> settings.modifyBackupPolicy(instance(t, call), call, now);
            case "DescribeBackupPolicy" -> settings.describeBackupPolicy(instance(t, call), call, now);
            case "DeleteDBInstance" -> deleteDBInstance(t, call, now);
            case "DescribeTasks" -> describeTasks(t, call, now);
            case "DescribeDBInstanceHAConfig" -> ha.describeHaConfig(instance(t, call), call, now);
            case "SwitchDBInstanceHA" -> ha.switchHa(instance(t, call), call, now);
            case "RestartDBInstance" -> ha.restart(instance(t, call), call, now);
            case "ModifyDBInstanceSpec" -> specs.modifySpec(instance(t, call), call, now);
            case "UpgradeDBInstanceKernelVersion" -> specs.upgradeKernel(instance(t, call), call, now);
            case "CreateBackup" -> createBackup(t, call, now);
            case "DescribeBackupTasks" -> backups.describeBackupTasks(instance(t, call), call, now);
            case "DescribeBackups" -> backups.describeBackups(instance(t, call), call, now);
            case "CloneDBInstance" -> cloneDBInstance(t, call, now);
            default -> throw new OpenApiError(404, "InvalidAction.NotFound",
                    "Specified api is not found, please check your url and method: " + call.action());
        };
        if (MUTATING_ACTIONS.contains(call.action())) {
            countEffect(t, call, result, createdBefore);
        }
        return result;
    }

    /** Counts a change that took effect (the action returned without an error) on its instance. */
    private void countEffect(Tenant t, ApiCall call, Map<String, Object> result, long createdBefore) {
        String action = call.action();
        if (action.equals("CreateDBInstance")) {
            if (instancesCreated > createdBefore) { // not a ClientToken replay
                RdsInstance i = t.instances.get(String.valueOf(result.get("DBInstanceId")));
                if (i != null) {
                    i.effects.merge(action, 1, Integer::sum);
                }
            }
            return;
        }
        RdsInstance i = t.instances.get(call.get("DBInstanceId"));
        if (i == null || action.equals("RestartDBInstance") || action.equals("ModifyDBInstanceSpec")
                || action.equals("UpgradeDBInstanceKernelVersion") // these count themselves (a ClientToken replay does not)
                || action.equals("CloneDBInstance")) { // counted on the clone, not on its source
            return;
        }
        String target = switch (action) {
            case "CreateAccount", "GrantAccountPrivilege" -> call.get("AccountName");
            case "CreateDatabase" -> call.get("DBName");
            case "ModifySecurityIps" -> call.get("DBInstanceIPArrayName", "Default").toLowerCase(Locale.ROOT);
            case "ModifyParameter" -> parameterNames(call.get("Parameters"));
            default -> null;
        };
        i.effects.merge(target == null ? action : action + ":" + target, 1, Integer::sum);
    }

    /** The sorted, comma-separated names of a ModifyParameter {@code Parameters} JSON object. */
    private static String parameterNames(String json) {
        try {
            List<String> names = new ArrayList<>();
            Json.MAPPER.readTree(json).fieldNames().forEachRemaining(names::add);
            names.sort(null);
            return String.join(",", names);
        } catch (Exception e) {
            return "?";
        }
    }

    // ---- instances -----------------------------------------------------------------------

    private Map<String, Object> createDBInstance(Tenant t, ApiCall call, Instant now) {
        for (String name : List.of("RegionId", "Engine", "EngineVersion", "DBInstanceClass", "DBInstanceStorage",
                "DBInstanceNetType", "PayType", "SecurityIPList")) {
            call.required(name);
        }
        String clientToken = call.get("ClientToken");
        if (clientToken != null && (clientToken.length() > 64 || !clientToken.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw OpenApiError.malformed("ClientToken", clientToken);
        }
        String fingerprint = fingerprint(call.params());
        if (clientToken != null) {
            IdempotentCreate previous = t.clientTokens.get(clientToken);
            if (previous != null) {
                if (!previous.fingerprint().equals(fingerprint)) {
                    throw new OpenApiError(400, "IdempotentParameterMismatch",
                            "The request uses the same client token as a previous, but non-identical request.");
                }
                Map<String, Object> replay = new LinkedHashMap<>(previous.response());
                replay.put("RequestId", call.requestId());
                return replay;
            }
        }
        String id;
        do {
            id = Ids.dbInstanceId();
        } while (t.everOwned.contains(id));
        RdsInstance inst = newInstance(id, call, now);
        inst.runningAt = now.plus(createDelay);
        t.instances.put(id, inst);
        t.everOwned.add(id);
        RdsTask task = new RdsTask(Ids.digits(9), id, "CreateDBInstance", null, now, inst.runningAt);
        t.tasks.add(task);
        instancesCreated++;
        Map<String, Object> response = Json.obj(
                "RequestId", call.requestId(),
                "DBInstanceId", id,
                "OrderId", Ids.digits(15),
                "ConnectionString", inst.connectionString,
                "Port", inst.port,
                "TaskId", task.taskId(),
                "DryRun", false,
                "DryRunResult", false,
                "Message", "",
                "TagResult", false);
        if (clientToken != null) {
            t.clientTokens.put(clientToken, new IdempotentCreate(fingerprint, response));
        }
        return response;
    }

    private Map<String, Object> createBackup(Tenant t, ApiCall call, Instant now) {
        RdsInstance i = instance(t, call);
        boolean fails = failingBackups > 0;
        Map<String, Object> result = backups.createBackup(i, call, now, fails);
        if (fails) {
            failingBackups--;
        }
        return result;
    }

    /**
     * CloneDBInstance (see {@link RdsBackups}): the source checked, then a new instance built like a
     * CreateDBInstance from the source's attributes with the request's overrides, holding the restored data.
     */
    private Map<String, Object> cloneDBInstance(Tenant t, ApiCall call, Instant now) {
        RdsInstance source = instance(t, call);
        canonical(call.required("PayType"), PAY_TYPES, "PayType");
        RdsBackups.Restore restore = backups.checkClone(source, call, now);
        Map<String, String> p = new HashMap<>();
        p.put("RegionId", source.regionId);
        p.put("ZoneId", call.get("ZoneId", source.zoneId));
        if (call.get("ZoneIdSlave1") != null || source.zoneIdSlave1 != null) {
            p.put("ZoneIdSlave1", call.get("ZoneIdSlave1", source.zoneIdSlave1));
        }
        p.put("Engine", source.engine);
        p.put("EngineVersion", source.engineVersion);
        p.put("DBInstanceClass", call.get("DBInstanceClass", source.dbInstanceClass));
        p.put("DBInstanceStorage", call.get("DBInstanceStorage", String.valueOf(source.storageGb)));
        p.put("DBInstanceStorageType", call.get("DBInstanceStorageType", source.storageType));
        p.put("DBInstanceNetType", source.netType);
        p.put("PayType", call.required("PayType"));
        p.put("Category", call.get("Category", source.category));
        p.put("SecurityIPList", "127.0.0.1"); // replaced by the source's whitelists
        String vpc = call.get("VPCId", source.vpcId.isEmpty() ? null : source.vpcId);
        if (vpc != null) {
            p.put("InstanceNetworkType", "VPC");
            p.put("VPCId", vpc);
            p.put("VSwitchId", call.get("VSwitchId", call.get("VPCId") == null ? source.vSwitchId : null));
        }
        String id;
        do {
            id = Ids.dbInstanceId();
        } while (t.everOwned.contains(id));
        RdsInstance clone = newInstance(id, new ApiCall("CloneDBInstance", VERSION, call.uid(), call.accessKeyId(),
                call.requestId(), p), now);
        clone.kernelVersion = source.kernelVersion;
        clone.runningAt = now.plus(createDelay);
        RdsBackups.fill(clone, source, restore);
        t.instances.put(id, clone);
        t.everOwned.add(id);
        t.tasks.add(new RdsTask(Ids.digits(9), id, "CloneDBInstance", null, now, clone.runningAt));
        clone.effects.merge("CloneDBInstance", 1, Integer::sum);
        instancesCreated++;
        return Json.obj("RequestId", call.requestId(), "DBInstanceId", id, "OrderId", Ids.digits(15));
    }

    /** Builds an instance from CreateDBInstance parameters (validating them). */
    private RdsInstance newInstance(String id, ApiCall call, Instant now) {
        String engine = canonical(call.required("Engine"), ENGINES, "Engine");
        String payType = canonical(call.required("PayType"), PAY_TYPES, "PayType");
        String netType = canonical(call.required("DBInstanceNetType"), NET_TYPES, "DBInstanceNetType");
        int storage = call.requiredInt("DBInstanceStorage");
        if (storage < 5 || storage > 64000) {
            throw OpenApiError.malformed("DBInstanceStorage", String.valueOf(storage));
        }
        String engineVersion = call.required("EngineVersion");
        if (engine.equals("MySQL") && !Set.of("5.5", "5.6", "5.7", "8.0").contains(engineVersion)) {
            throw OpenApiError.malformed("EngineVersion", engineVersion);
        }
        String networkType = call.get("InstanceNetworkType", call.get("VPCId") != null ? "VPC" : "Classic");
        if (networkType.equalsIgnoreCase("VPC")) {
            networkType = "VPC";
            call.required("VPCId");
            call.required("VSwitchId");
        }
        String category = call.get("Category", "HighAvailability");
        if (!CATEGORIES.contains(category)) {
            throw OpenApiError.malformed("Category", category);
        }
        List<String> ips = RdsInstanceSettings.parseIps(call.required("SecurityIPList"));

        RdsInstance i = new RdsInstance(id, call.uid());
        i.regionId = call.required("RegionId");
        i.zoneId = call.get("ZoneId", i.regionId + "-h");
        i.zoneIdSlave1 = call.get("ZoneIdSlave1");
        i.engine = engine;
        i.engineVersion = engineVersion;
        i.dbInstanceClass = call.required("DBInstanceClass");
        i.storageGb = storage;
        i.storageType = call.get("DBInstanceStorageType", "cloud_essd");
        i.netType = netType;
        i.networkType = networkType;
        i.vpcId = call.get("VPCId", "");
        i.vSwitchId = call.get("VSwitchId", "");
        i.category = category;
        i.payType = payType;
        i.description = call.get("DBInstanceDescription", "");
        i.resourceGroupId = call.get("ResourceGroupId", "rg-acfmsimulator");
        i.connectionString = id + "." + engine.toLowerCase(Locale.ROOT) + ".rds.aliyuncs.com";
        i.port = engine.equals("MySQL") || engine.equals("MariaDB") ? "3306"
                : engine.equals("PostgreSQL") ? "5432" : "1433";
        i.createdAt = now;
        RdsInstance.IpArray def = new RdsInstance.IpArray("default");
        def.ips.addAll(ips);
        i.ipArrays.put("default", def);
        DEFAULT_PARAMETERS.forEach((k, v) -> i.parameters.put(k, new RdsInstance.ParamState(v)));
        RdsHighAvailability.addNodes(i);
        i.backupPolicy.putAll(Json.obj(
                "PreferredBackupTime", "19:00Z-20:00Z",
                "PreferredBackupPeriod", "Tuesday,Thursday,Saturday",
                "BackupRetentionPeriod", 7,
                "BackupLog", "Enable",
                "EnableBackupLog", "1",
                "LogBackupRetentionPeriod", 7,
                "LocalLogRetentionHours", 18,
                "LocalLogRetentionSpace", "30",
                "HighSpaceUsageProtection", "Enable",
                "LogBackupFrequency", "LogInterval",
                "LogBackupLocalRetentionNumber", 60,
                "CompressType", "4",
                "BackupMethod", "Physical",
                "BackupInterval", "-1",
                "Category", "Standard",
                "ReleasedKeepPolicy", "None",
                "EnableIncrementDataBackup", false));
        return i;
    }

    private Map<String, Object> describeDBInstanceAttribute(Tenant t, ApiCall call, Instant now) {
        RdsInstance i = instance(t, call);
        return Json.obj("RequestId", call.requestId(),
                "Items", Json.wrapped("DBInstanceAttribute", List.of(attributeItem(i, now))));
    }

    private Map<String, Object> attributeItem(RdsInstance i, Instant now) {
        RdsSpecChanges.settle(i, now);
        Map<String, Object> m = Json.obj(
                "DBInstanceId", i.id,
                "DBInstanceStatus", i.status(now),
                "Engine", i.engine,
                "EngineVersion", i.engineVersion,
                "DBInstanceClass", i.dbInstanceClass,
                "DBInstanceClassType", "x",
                "DBInstanceCPU", "2",
                "DBInstanceMemory", 4096L,
                "DBInstanceStorage", i.storageGb,
                "DBInstanceStorageType", i.storageType,
                "DBInstanceNetType", i.netType,
                "DBInstanceType", "Primary",
                "DBInstanceDescription", i.description,
                "InstanceNetworkType", i.networkType,
                "ConnectionMode", "Standard",
                "ConnectionString", i.connectionString,
                "Port", i.port,
                "VpcId", i.vpcId,
                "VSwitchId", i.vSwitchId,
                "Category", i.category,
                "RegionId", i.regionId,
                "ZoneId", i.zoneId,
                "PayType", i.payType,
                "ResourceGroupId", i.resourceGroupId,
                "CreationTime", ISO_SECONDS.format(i.createdAt),
                "ExpireTime", "",
                "LockMode", "Unlock",
                "LockReason", "",
                "MaintainTime", "18:00Z-22:00Z",
                "SecurityIPList", i.defaultSecurityIps(),
                "SecurityIPMode", "normal",
                "MaxConnections", parseIntOr(i.parameters.get("max_connections"), 2000),
                "MaxIOPS", 8000,
                "AccountMaxQuantity", 999999,
                "DBMaxQuantity", 999999,
                "DeletionProtection", false,
                "AutoUpgradeMinorVersion", "Auto",
                "CurrentKernelVersion", i.kernelVersion,
                "ReadOnlyDBInstanceIds", Json.wrapped("ReadOnlyDBInstanceId", List.of()));
        if (i.zoneIdSlave1 != null) {
            m.put("SlaveZones", Json.wrapped("SlaveZone", List.of(Json.obj("ZoneId", i.zoneIdSlave1))));
        }
        return m;
    }

    private static int parseIntOr(RdsInstance.ParamState p, int fallback) {
        try {
            return p == null ? fallback : Integer.parseInt(p.running);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Map<String, Object> describeDBInstances(Tenant t, ApiCall call, Instant now) {
        String region = call.required("RegionId");
        Set<String> ids = call.get("DBInstanceId") == null ? null
                : new HashSet<>(Arrays.asList(call.get("DBInstanceId").split(",")));
        String statusFilter = call.get("DBInstanceStatus");
        String searchKey = call.get("SearchKey");
        String engine = call.get("Engine");
        int pageSize = call.getInt("PageSize", 30);
        int pageNumber = call.getInt("PageNumber", 1);
        if (pageSize < 1 || pageSize > 100) {
            throw OpenApiError.malformed("PageSize", String.valueOf(pageSize));
        }
        if (pageNumber < 1) {
            throw OpenApiError.malformed("PageNumber", String.valueOf(pageNumber));
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (RdsInstance i : t.instances.values()) {
            String status = i.status(now);
            if (!i.regionId.equals(region) || (ids != null && !ids.contains(i.id))
                    || (statusFilter != null && !statusFilter.equals(status))
                    || (engine != null && !engine.equalsIgnoreCase(i.engine))
                    || (searchKey != null && !i.id.contains(searchKey) && !i.description.contains(searchKey))) {
                continue;
            }
            all.add(Json.obj(
                    "DBInstanceId", i.id,
                    "DBInstanceStatus", status,
                    "DBInstanceDescription", i.description,
                    "Engine", i.engine,
                    "EngineVersion", i.engineVersion,
                    "DBInstanceClass", i.dbInstanceClass,
                    "DBInstanceStorageType", i.storageType,
                    "DBInstanceNetType", i.netType,
                    "DBInstanceType", "Primary",
                    "InstanceNetworkType", i.networkType,
                    "ConnectionString", i.connectionString,
                    "ConnectionMode", "Standard",
                    "RegionId", i.regionId,
                    "ZoneId", i.zoneId,
                    "VpcId", i.vpcId,
                    "VSwitchId", i.vSwitchId,
                    "PayType", i.payType,
                    "Category", i.category,
                    "LockMode", "Unlock",
                    "LockReason", "",
                    "ExpireTime", "",
                    "ResourceGroupId", i.resourceGroupId,
                    "CreateTime", ISO_SECONDS.format(i.createdAt),
                    "DeletionProtection", false,
                    "ReadOnlyDBInstanceIds", Json.wrapped("ReadOnlyDBInstanceId", List.of())));
        }
        int from = Math.min(all.size(), (pageNumber - 1) * pageSize);
        List<Map<String, Object>> page = all.subList(from, Math.min(all.size(), from + pageSize));
        return Json.obj("RequestId", call.requestId(),
                "Items", Json.wrapped("DBInstance", page),
                "TotalRecordCount", all.size(),
                "PageNumber", pageNumber,
                "PageRecordCount", page.size());
    }

    private Map<String, Object> deleteDBInstance(Tenant t, ApiCall call, Instant now) {
        RdsInstance i = instance(t, call);
        String status = i.status(now);
        if (!status.equals(RdsInstance.RUNNING) && !status.equals("Stopped")) {
            throw wrongState(i, status);
        }
        i.deletedAt = now.plus(deleteDelay);
        t.tasks.add(new RdsTask(Ids.digits(9), i.id, "DeleteDBInstance", null, now, i.deletedAt));
        return Json.obj("RequestId", call.requestId(), "RegionId", i.regionId);
    }

    private Map<String, Object> describeTasks(Tenant t, ApiCall call, Instant now) {
        String id = call.required("DBInstanceId");
        if (!t.everOwned.contains(id)) {
            throw OpenApiError.instanceNotFound(id);
        }
        String action = call.get("TaskAction");
        Instant start = parseTaskTime(call, "StartTime");
        Instant end = parseTaskTime(call, "EndTime");
        int pageSize = call.getInt("PageSize", 30);
        int pageNumber = Math.max(1, call.getInt("PageNumber", 1));
        List<Map<String, Object>> items = new ArrayList<>();
        for (RdsTask task : t.tasks) {
            if (!task.instanceId().equals(id) || (action != null && !action.equals(task.action()))
                    || (start != null && task.begin().isBefore(start))
                    || (end != null && task.begin().isAfter(end))) {
                continue;
            }
            boolean finished = task.status(now).equals(RdsTask.FINISHED);
            items.add(Json.obj(
                    "TaskId", task.taskId(),
                    "TaskAction", task.action(),
                    "Status", task.status(now),
                    "BeginTime", ISO_SECONDS.format(task.begin()),
                    "FinishTime", finished ? ISO_SECONDS.format(task.finishAt()) : "",
                    "ExpectedFinishTime", ISO_SECONDS.format(task.finishAt()),
                    "Progress", String.valueOf(task.progressPercent(now)),
                    "ProgressInfo", "",
                    "Remain", task.remainSeconds(now),
                    "DBName", task.dbName() == null ? "" : task.dbName(),
                    "CurrentStepName", finished ? "" : task.action(),
                    "StepProgressInfo", finished ? "1/1" : "0/1"));
        }
        int from = Math.min(items.size(), (pageNumber - 1) * pageSize);
        List<Map<String, Object>> page = items.subList(from, Math.min(items.size(), from + pageSize));
        return Json.obj("RequestId", call.requestId(),
                "Items", Json.wrapped("TaskProgressInfo", page),
                "TotalRecordCount", items.size(),
                "PageNumber", pageNumber,
                "PageRecordCount", page.size());
    }

    private static Instant parseTaskTime(ApiCall call, String name) {
        String v = call.get(name);
        if (v == null) {
            return null;
        }
        for (String pattern : List.of("yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'")) {
            try {
                return Instant.from(DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC).parse(v));
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        throw OpenApiError.malformed(name, v);
    }

    private Map<String, Object> modifyParameter(Tenant t, ApiCall call, Instant now) {
        RdsInstance i = instance(t, call);
        Map<String, Object> result = settings.modifyParameter(i, call, now);
        t.tasks.add(new RdsTask(Ids.digits(9), i.id, "ModifyParameter", null, now, now.plus(parameterDelay)));
        return result;
    }

    // ---- used by RdsAccountsAndDatabases / RdsInstanceSettings (under this object's lock) --

    Duration accountDelay() {
        return accountDelay;
    }

    Duration databaseDelay() {
        return databaseDelay;
    }

    Duration parameterDelay() {
        return parameterDelay;
    }

    Duration switchDelay() {
        return switchDelay;
    }

    Duration restartDelay() {
        return restartDelay;
    }

    Duration specDelay() {
        return specDelay;
    }

    Duration backupDelay() {
        return backupDelay;
    }

    /** Records an asynchronous task of the instance's account (listed by DescribeTasks). */
    void addTask(RdsInstance i, String action, Instant begin, Instant finishAt) {
        tenant(i.uid).tasks.add(new RdsTask(Ids.digits(9), i.id, action, null, begin, finishAt));
    }

    void requireRunning(RdsInstance i, Instant now) {
        String status = i.status(now);
        if (!status.equals(RdsInstance.RUNNING)) {
            throw wrongState(i, status);
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private Tenant tenant(String uid) {
        return tenants.computeIfAbsent(uid, u -> new Tenant());
    }

    /** Removes instances whose deletion has completed. */
    private static void sweep(Tenant t, Instant now) {
        t.instances.values().removeIf(i -> i.isGone(now));
    }

    private static RdsInstance instance(Tenant t, ApiCall call) {
        String id = call.required("DBInstanceId");
        RdsInstance i = t.instances.get(id);
        if (i == null) {
            throw OpenApiError.instanceNotFound(id);
        }
        return i;
    }

    private OpenApiError wrongState(RdsInstance i, String status) {
        return new OpenApiError(wrongStateHttpStatus, wrongStateCode,
                "Current DB instance state does not support this operation: " + i.id + " is " + status + ".");
    }

    private static String canonical(String value, Set<String> allowed, String name) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw OpenApiError.malformed(name, value);
    }


    /** Parameters that make a create request "the same request" for ClientToken purposes. */
    private static String fingerprint(Map<String, String> params) {
        Map<String, String> sorted = new TreeMap<>(params);
        sorted.remove("ClientToken");
        return new LinkedHashSet<>(sorted.entrySet()).toString();
    }
}

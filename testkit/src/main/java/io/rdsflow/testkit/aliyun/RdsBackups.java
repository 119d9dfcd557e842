package io.rdsflow.testkit.aliyun;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Backups of a simulated instance and clones made from them (API 2014-08-15; field names as in the SDK
 * {@code com.aliyun:rds20140815:1.8.4} models):
 * <ul>
 *   <li>{@code CreateBackup(DBInstanceId, BackupMethod Physical|Logical|Snapshot, BackupType Auto|FullBackup)} →
 *       {@code BackupJobId} (digits; DescribeBackupTasks takes it as an integer). The instance must be Running (the
 *       wrong-state error). The backup set is taken for the backup delay; it holds the instance's accounts and
 *       databases as they were at the call.</li>
 *   <li>{@code DescribeBackupTasks(DBInstanceId, BackupJobId)} → {@code Items.BackupJob[]}: {@code BackupJobId},
 *       {@code BackupStatus} Uploading, then Finished (with the {@code BackupId} of its set) or Failed,
 *       {@code BackupProgressStatus}, {@code Process} (percent), {@code JobMode} Manual, {@code TaskAction}
 *       TempBackupTask.</li>
 *   <li>{@code DescribeBackups(DBInstanceId, BackupId, BackupStatus, BackupMode, StartTime, EndTime, PageSize,
 *       PageNumber)} → {@code Items.Backup[]} of the finished sets only (as the cloud, which lists backup sets, not
 *       jobs), newest first: {@code BackupId, DBInstanceId, BackupStatus} Success|Failed,
 *       {@code BackupStartTime, BackupEndTime} ({@code yyyy-MM-ddTHH:mm:ssZ}), {@code BackupType} FullBackup,
 *       {@code BackupMode} Manual, {@code BackupMethod}, {@code BackupSize} (bytes), {@code ConsistentTime} (epoch
 *       seconds), {@code HostInstanceID}, {@code IsAvail}; {@code TotalRecordCount, PageNumber, PageRecordCount}
 *       are strings. StartTime/EndTime ({@code yyyy-MM-ddTHH:mmZ}) bound BackupStartTime.</li>
 *   <li>{@code CloneDBInstance(DBInstanceId, PayType, BackupId | RestoreTime, DBInstanceClass, DBInstanceStorage,
 *       ZoneId, ZoneIdSlave1, VPCId, VSwitchId, InstanceNetworkType, Category, DBInstanceStorageType)} → a new
 *       instance ({@code DBInstanceId, OrderId}) that is Creating for the create delay, then Running. It has the
 *       source's engine, version, whitelists, parameters and backup policy, and the accounts and databases of the
 *       backup set (for a RestoreTime: the source's as they are now — the simulator keeps no history). As the
 *       cloud's documentation requires: the source must be Running (a deleted one is {@code
 *       InvalidDBInstanceId.NotFound}, a Deleting one the wrong-state error); a BackupId must be a Success set of that
 *       source ({@code InvalidBackupId.NotFound}, 404); a RestoreTime ({@code yyyy-MM-ddTHH:mm:ssZ}) needs log backup
 *       on and must lie between the end of the oldest Success set and now ({@code InvalidRestoreTime}, 400);
 *       storage is not less than the source's. Exactly one of BackupId and RestoreTime ({@code MissingParameter}).
 *       The error codes for the backup id and the restore time are the simulator's choice, not checked against
 *       the cloud's error table. SDK 1.8.4 sends no ClientToken for this action, so none is simulated.</li>
 * </ul>
 * Called by {@link SimulatedRds} under its lock.
 */
final class RdsBackups {
    static final String SUCCESS = "Success";
    static final String FAILED = "Failed";
    private static final Set<String> METHODS = Set.of("Physical", "Logical", "Snapshot");
    private static final Set<String> TYPES = Set.of("Auto", "FullBackup");
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** One backup job and the set it makes; the accounts and databases are copies taken at the call. */
    static final class Backup {
        final String jobId;
        final String backupId;
        final String instanceId;
        final String method;
        final Instant start;
        final Instant end;
        final boolean fails;
        final long sizeBytes;
        final List<RdsInstance.DbAccount> accounts = new ArrayList<>();
        final List<RdsInstance.Database> databases = new ArrayList<>();

        Backup(String jobId, String backupId, String instanceId, String method, Instant start, Instant end, boolean fails,
               long sizeBytes) {
            this.jobId = jobId;
            this.backupId = backupId;
            this.instanceId = instanceId;
            this.method = method;
            this.start = start;
            this.end = end;
            this.fails = fails;
            this.sizeBytes = sizeBytes;
        }

        boolean finished(Instant now) {
            return !now.isBefore(end);
        }

        boolean succeeded(Instant now) {
            return finished(now) && !fails;
        }
    }

    /** What a clone was made from: the source instance and its BackupId or RestoreTime (the other null). */
    record Origin(String sourceInstanceId, String backupId, String restoreTime) {}

    private final SimulatedRds rds;

    RdsBackups(SimulatedRds rds) {
        this.rds = rds;
    }

    Map<String, Object> createBackup(RdsInstance i, ApiCall call, Instant now, boolean fails) {
        String method = call.get("BackupMethod", "Physical");
        if (!METHODS.contains(method)) {
            throw OpenApiError.malformed("BackupMethod", method);
        }
        String type = call.get("BackupType", "Auto");
        if (!TYPES.contains(type)) {
            throw OpenApiError.malformed("BackupType", type);
        }
        rds.requireRunning(i, now);
        Backup b = new Backup(Ids.digits(9), Ids.digits(10), i.id, method, now, now.plus(rds.backupDelay()), fails,
                (long) i.storageGb * 1024 * 1024 * 8 + i.databases.size() * 65_536L);
        i.accounts.values().forEach(a -> b.accounts.add(copy(a, a.availableAt)));
        i.databases.values().forEach(d -> b.databases.add(copy(d, d.runningAt)));
        i.backups.add(b);
        rds.addTask(i, "CreateBackup", now, b.end);
        return Json.obj("RequestId", call.requestId(), "BackupJobId", b.jobId);
    }

    Map<String, Object> describeBackupTasks(RdsInstance i, ApiCall call, Instant now) {
        String job = call.get("BackupJobId");
        List<Map<String, Object>> items = new ArrayList<>();
        for (Backup b : i.backups) {
            if (job != null && !job.equals(b.jobId)) {
                continue;
            }
            boolean finished = b.finished(now);
            String status = !finished ? "Uploading" : b.fails ? FAILED : "Finished";
            items.add(Json.obj(
                    "BackupJobId", b.jobId,
                    "BackupStatus", status,
                    "BackupProgressStatus", finished ? "" : "Uploading",
                    "Process", String.valueOf(progress(b, now)),
                    "JobMode", "Manual",
                    "TaskAction", "TempBackupTask",
                    "BackupId", finished && !b.fails ? b.backupId : ""));
        }
        return Json.obj("RequestId", call.requestId(), "Items", Json.wrapped("BackupJob", items));
    }

    Map<String, Object> describeBackups(RdsInstance i, ApiCall call, Instant now) {
        String backupId = call.get("BackupId");
        String status = call.get("BackupStatus");
        String mode = call.get("BackupMode");
        Instant from = time(call, "StartTime");
        Instant to = time(call, "EndTime");
        int pageSize = call.getInt("PageSize", 30);
        int pageNumber = call.getInt("PageNumber", 1);
        if (pageSize < 30 || pageSize > 100) {
            throw OpenApiError.malformed("PageSize", String.valueOf(pageSize));
        }
        if (pageNumber < 1) {
            throw OpenApiError.malformed("PageNumber", String.valueOf(pageNumber));
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (int n = i.backups.size() - 1; n >= 0; n--) {
            Backup b = i.backups.get(n);
            String s = b.fails ? FAILED : SUCCESS;
            if (!b.finished(now) || (backupId != null && !backupId.equals(b.backupId)) || (status != null && !status.equals(s))
                    || (mode != null && !mode.equals("Manual")) || (from != null && b.start.isBefore(from))
                    || (to != null && b.start.isAfter(to))) {
                continue;
            }
            all.add(Json.obj(
                    "BackupId", b.backupId,
                    "DBInstanceId", i.id,
                    "BackupStatus", s,
                    "BackupStartTime", ISO_SECONDS.format(b.start),
                    "BackupEndTime", ISO_SECONDS.format(b.end),
                    "BackupType", "FullBackup",
                    "BackupMode", "Manual",
                    "BackupMethod", b.method,
                    "BackupSize", b.fails ? 0L : b.sizeBytes,
                    "BackupInitiator", "User",
                    "ConsistentTime", b.end.getEpochSecond(),
                    "HostInstanceID", i.haNodes.isEmpty() ? "" : i.haNodes.get(i.haNodes.size() - 1).nodeId,
                    "IsAvail", b.fails ? 0 : 1,
                    "StoreStatus", "Disabled",
                    "MetaStatus", "OK",
                    "Encryption", "{}",
                    "CopyOnlyBackup", "0",
                    "StorageClass", "0",
                    "BackupDownloadURL", "",
                    "BackupIntranetDownloadURL", ""));
        }
        int first = Math.min(all.size(), (pageNumber - 1) * pageSize);
        List<Map<String, Object>> page = all.subList(first, Math.min(all.size(), first + pageSize));
        return Json.obj("RequestId", call.requestId(),
                "Items", Json.wrapped("Backup", page),
                "TotalRecordCount", String.valueOf(all.size()),
                "PageNumber", String.valueOf(pageNumber),
                "PageRecordCount", String.valueOf(page.size()),
                "TotalEcsSnapshotSize", 0L);
    }

    /**
     * Checks a CloneDBInstance against its source and says what the clone's data comes from; the caller builds the
     * instance. Throws the cloud's errors for a source, backup or restore time that cannot be cloned.
     */
    Restore checkClone(RdsInstance source, ApiCall call, Instant now) {
        rds.requireRunning(source, now);
        String backupId = call.get("BackupId");
        String restoreTime = call.get("RestoreTime");
        if ((backupId == null) == (restoreTime == null)) {
            throw OpenApiError.missingParameter("Exactly one of BackupId and RestoreTime must be specified.");
        }
        String storage = call.get("DBInstanceStorage");
        if (storage != null && call.requiredInt("DBInstanceStorage") < source.storageGb) {
            throw OpenApiError.malformed("DBInstanceStorage", storage);
        }
        if (backupId != null) {
            Backup b = source.backups.stream().filter(x -> x.backupId.equals(backupId) && x.succeeded(now)).findFirst()
                    .orElseThrow(() -> new OpenApiError(404, "InvalidBackupId.NotFound",
                            "The specified backup set " + backupId + " does not exist or is not available for " + source.id + "."));
            return new Restore(new Origin(source.id, backupId, null), b.accounts, b.databases);
        }
        Instant t;
        try {
            t = Instant.from(ISO_SECONDS.parse(restoreTime));
        } catch (DateTimeParseException e) {
            throw OpenApiError.malformed("RestoreTime", restoreTime);
        }
        Instant earliest = earliestRestorable(source, now);
        boolean logBackup = "Enable".equals(String.valueOf(source.backupPolicy.get("BackupLog")));
        if (!logBackup || earliest == null || t.isBefore(earliest) || t.isAfter(now)) {
            throw new OpenApiError(400, "InvalidRestoreTime", "The specified restore time " + restoreTime
                    + " is out of the recoverable range of " + source.id + (!logBackup ? " (log backup is disabled)"
                    : earliest == null ? " (it has no backup set)" : " [" + ISO_SECONDS.format(earliest) + ", "
                    + ISO_SECONDS.format(now) + "]") + ".");
        }
        List<RdsInstance.DbAccount> accounts = new ArrayList<>();
        source.accounts.values().forEach(accounts::add);
        List<RdsInstance.Database> databases = new ArrayList<>(source.databases.values());
        return new Restore(new Origin(source.id, null, restoreTime), accounts, databases);
    }

    /** What a clone is made of. */
    record Restore(Origin origin, List<RdsInstance.DbAccount> accounts, List<RdsInstance.Database> databases) {}

    /** Gives the clone the source's settings and the restored accounts and databases, usable once it runs. */
    static void fill(RdsInstance clone, RdsInstance source, Restore r) {
        Instant ready = clone.runningAt;
        r.accounts().forEach(a -> clone.accounts.put(a.name, copy(a, ready)));
        r.databases().forEach(d -> clone.databases.put(d.name, copy(d, ready)));
        clone.ipArrays.clear();
        source.ipArrays.forEach((k, a) -> {
            RdsInstance.IpArray copy = new RdsInstance.IpArray(a.name);
            copy.attribute = a.attribute;
            copy.whitelistNetworkType = a.whitelistNetworkType;
            copy.ips.addAll(a.ips);
            clone.ipArrays.put(k, copy);
        });
        clone.parameters.clear();
        source.parameters.forEach((k, p) -> clone.parameters.put(k, new RdsInstance.ParamState(p.configured())));
        clone.backupPolicy.clear();
        clone.backupPolicy.putAll(source.backupPolicy);
        clone.origin = r.origin();
    }

    /** The end of the oldest Success backup set: a RestoreTime before it has nothing to start from. */
    static Instant earliestRestorable(RdsInstance i, Instant now) {
        return i.backups.stream().filter(b -> b.succeeded(now)).map(b -> b.end).min(Instant::compareTo).orElse(null);
    }

    private static int progress(Backup b, Instant now) {
        long total = Math.max(1, Duration.between(b.start, b.end).toMillis());
        long done = Math.min(total, Math.max(0, Duration.between(b.start, now).toMillis()));
        return (int) (done * 100 / total);
    }

    private static Instant time(ApiCall call, String name) {
        String v = call.get(name);
        if (v == null) {
            return null;
        }
        for (DateTimeFormatter f : List.of(ISO_MINUTES, ISO_SECONDS)) {
            try {
                return Instant.from(f.parse(v));
            } catch (DateTimeParseException ignored) {
                // the other format
            }
        }
        throw OpenApiError.malformed(name, v);
    }

    private static RdsInstance.DbAccount copy(RdsInstance.DbAccount a, Instant availableAt) {
        RdsInstance.DbAccount c = new RdsInstance.DbAccount(a.name, a.type, a.description, availableAt);
        c.privileges.putAll(a.privileges);
        return c;
    }

    private static RdsInstance.Database copy(RdsInstance.Database d, Instant runningAt) {
        return new RdsInstance.Database(d.name, d.charset, d.description, runningAt);
    }
}

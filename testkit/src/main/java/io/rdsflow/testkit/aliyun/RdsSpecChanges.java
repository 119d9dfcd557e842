package io.rdsflow.testkit.aliyun;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Spec and version changes of a simulated instance (API 2014-08-15):
 * <ul>
 *   <li>{@code ModifyDBInstanceSpec(DBInstanceId, DBInstanceClass, DBInstanceStorage, PayType)}: at least one of class
 *       and storage ({@code MissingParameter} otherwise); storage in steps of 5 GB from 5 to 64000
 *       ({@code InvalidDBInstanceStorage.Malformed}); PayType, when sent, the instance's own
 *       ({@code InvalidPayType.Malformed}). The instance is {@code DBInstanceClassChanging} for the spec delay, then
 *       Running with the new class and storage (DescribeDBInstanceAttribute). Answers {@code DBInstanceId} and
 *       {@code OrderId}. Not Running: the wrong-state error.</li>
 *   <li>{@code UpgradeDBInstanceKernelVersion(DBInstanceId, UpgradeTime Immediate, TargetMinorVersion)}: the
 *       instance is {@code MinorVersionUpgrading} for the spec delay, then Running with
 *       {@code CurrentKernelVersion} = the target (default {@link #NEWEST_KERNEL}). Answers {@code DBInstanceName},
 *       {@code TaskId}, {@code TargetMinorVersion}. The newest version already: {@code InvalidTargetMinorVersion.Malformed}
 *       is not raised, the call upgrades to the same version (as the cloud's "no newer version" is not simulated).
 *       {@code UpgradeTime} MaintainTime/SpecifyTime: {@code InvalidUpgradeTime.Malformed} (not simulated).</li>
 * </ul>
 * Called by {@link SimulatedRds} under its lock.
 */
final class RdsSpecChanges {
    static final String CLASS_CHANGING = "DBInstanceClassChanging";
    static final String MINOR_UPGRADING = "MinorVersionUpgrading";
    static final String FIRST_KERNEL = "rds_20240101";
    static final String NEWEST_KERNEL = "rds_20250630";
    private static final Set<String> PAY_TYPES = Set.of("Postpaid", "Prepaid", "Serverless");

    private final SimulatedRds rds;

    RdsSpecChanges(SimulatedRds rds) {
        this.rds = rds;
    }

    Map<String, Object> modifySpec(RdsInstance i, ApiCall call, Instant now) {
        String cls = call.get("DBInstanceClass");
        String storageText = call.get("DBInstanceStorage");
        if (cls == null && storageText == null) {
            throw OpenApiError.missingParameter("At least one of DBInstanceClass and DBInstanceStorage must be specified.");
        }
        Integer storage = null;
        if (storageText != null) {
            storage = call.requiredInt("DBInstanceStorage");
            if (storage < 5 || storage > 64_000 || storage % 5 != 0) {
                throw OpenApiError.malformed("DBInstanceStorage", storageText);
            }
        }
        if (cls != null && !cls.matches("[a-z0-9]+(\\.[a-z0-9]+){1,5}")) {
            throw OpenApiError.malformed("DBInstanceClass", cls);
        }
        String payType = call.get("PayType");
        if (payType != null && (!PAY_TYPES.contains(payType) || !payType.equals(i.payType))) {
            throw OpenApiError.malformed("PayType", payType);
        }
        rds.requireRunning(i, now);
        settle(i, now);
        i.pendingClass = cls;
        i.pendingStorage = storage;
        i.busyStatus = CLASS_CHANGING;
        i.busyUntil = now.plus(rds.specDelay());
        i.effects.merge("ModifyDBInstanceSpec", 1, Integer::sum);
        rds.addTask(i, "ModifyDBInstanceSpec", now, i.busyUntil);
        return Json.obj("RequestId", call.requestId(), "DBInstanceId", i.id, "OrderId", Ids.digits(15));
    }

    Map<String, Object> upgradeKernel(RdsInstance i, ApiCall call, Instant now) {
        String when = call.get("UpgradeTime", "Immediate");
        if (!when.equals("Immediate")) {
            throw OpenApiError.malformed("UpgradeTime", when);
        }
        String target = call.get("TargetMinorVersion", NEWEST_KERNEL);
        if (!target.matches("[A-Za-z0-9_]{1,64}")) {
            throw OpenApiError.malformed("TargetMinorVersion", target);
        }
        rds.requireRunning(i, now);
        settle(i, now);
        i.pendingKernel = target;
        i.busyStatus = MINOR_UPGRADING;
        i.busyUntil = now.plus(rds.specDelay());
        i.effects.merge("UpgradeDBInstanceKernelVersion", 1, Integer::sum);
        String task = Ids.digits(9);
        rds.addTask(i, "UpgradeDBInstanceKernelVersion", now, i.busyUntil);
        return Json.obj("RequestId", call.requestId(), "DBInstanceName", i.id, "TaskId", task, "TargetMinorVersion", target);
    }

    /** Applies a class, storage or kernel change whose period has passed. */
    static void settle(RdsInstance i, Instant now) {
        if (i.busyUntil != null && now.isBefore(i.busyUntil)) {
            return;
        }
        if (i.pendingClass != null) {
            i.dbInstanceClass = i.pendingClass;
        }
        if (i.pendingStorage != null) {
            i.storageGb = i.pendingStorage;
        }
        if (i.pendingKernel != null) {
            i.kernelVersion = i.pendingKernel;
        }
        i.pendingClass = null;
        i.pendingStorage = null;
        i.pendingKernel = null;
    }
}

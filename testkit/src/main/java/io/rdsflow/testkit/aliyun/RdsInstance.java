package io.rdsflow.testkit.aliyun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Mutable state of one simulated RDS instance and what hangs off it (database accounts,
 * databases, IP whitelists, parameters, backup policy). Time-driven states are derived from
 * instants when read, so nothing runs in the background. Guarded by {@link SimulatedRds}'s lock.
 */
final class RdsInstance {

    static final String CREATING = "Creating";
    static final String RUNNING = "Running";
    static final String DELETING = "Deleting";

    final String id;
    final String uid;
    String regionId;
    String zoneId;
    String zoneIdSlave1;
    String engine;
    String engineVersion;
    String dbInstanceClass;
    int storageGb;
    String storageType;
    String netType;
    String networkType;
    String vpcId;
    String vSwitchId;
    String category;
    String payType;
    String description;
    String resourceGroupId;
    String connectionString;
    String port;
    Instant createdAt;
    /** Creating until this instant. */
    Instant runningAt;
    /** Set by DeleteDBInstance: Deleting until {@link #deletedAt}, then gone. */
    Instant deletedAt;
    /** A transient status (e.g. Rebooting after ModifyParameter with Forcerestart) until {@link #busyUntil}. */
    String busyStatus;
    Instant busyUntil;
    /** A status forced by a test; wins over everything but deletion. */
    String statusOverride;
    /** The nodes DescribeDBInstanceHAConfig lists: one for Basic, a Master and a Slave otherwise. */
    final List<HaNode> haNodes = new ArrayList<>();
    /** Set by SwitchDBInstanceHA: this node becomes the Master at {@link #busyUntil}. */
    String switchTo;
    /** ClientTokens of the RestartDBInstance calls that took effect (a replay restarts nothing). */
    final Set<String> restartTokens = new HashSet<>();
    /** Set by ModifyDBInstanceSpec / UpgradeDBInstanceKernelVersion: applied at {@link #busyUntil}. */
    String pendingClass;
    Integer pendingStorage;
    String pendingKernel;
    /** CurrentKernelVersion of DescribeDBInstanceAttribute. */
    String kernelVersion = RdsSpecChanges.FIRST_KERNEL;

    final Map<String, DbAccount> accounts = new LinkedHashMap<>();
    final Map<String, Database> databases = new LinkedHashMap<>();
    /** Keyed by lower-cased whitelist name. */
    final Map<String, IpArray> ipArrays = new LinkedHashMap<>();
    final Map<String, ParamState> parameters = new TreeMap<>();
    final Map<String, Object> backupPolicy = new LinkedHashMap<>();
    /** CreateBackup jobs and their sets, oldest first (see {@link RdsBackups}). */
    final List<RdsBackups.Backup> backups = new ArrayList<>();
    /** Set on an instance made by CloneDBInstance: its source and BackupId or RestoreTime. */
    RdsBackups.Origin origin;
    /**
     * How often each change took effect on this instance, keyed {@code Action} or
     * {@code Action:target} (see {@link SimulatedRds#effects}); ClientToken replays and refused
     * calls are not counted.
     */
    final Map<String, Integer> effects = new TreeMap<>();

    RdsInstance(String id, String uid) {
        this.id = id;
        this.uid = uid;
    }

    String status(Instant now) {
        if (deletedAt != null) {
            return DELETING;
        }
        if (statusOverride != null) {
            return statusOverride;
        }
        if (runningAt != null && now.isBefore(runningAt)) {
            return CREATING;
        }
        if (busyUntil != null && now.isBefore(busyUntil)) {
            return busyStatus;
        }
        return RUNNING;
    }

    boolean isGone(Instant now) {
        return deletedAt != null && !now.isBefore(deletedAt);
    }

    /** Applies parameter values whose delay has passed. */
    void settleParameters(Instant now) {
        for (ParamState p : parameters.values()) {
            if (p.pending != null && !now.isBefore(p.applyAt)) {
                p.running = p.pending;
                p.pending = null;
                p.applyAt = null;
            }
        }
    }

    /** Applies a switchover whose HASwitching period has passed: the chosen node is the Master. */
    void settleSwitch(Instant now) {
        if (switchTo != null && (busyUntil == null || !now.isBefore(busyUntil))) {
            for (HaNode n : haNodes) {
                n.type = n.nodeId.equals(switchTo) ? HaNode.MASTER : HaNode.SLAVE;
            }
            switchTo = null;
        }
    }

    String defaultSecurityIps() {
        IpArray def = ipArrays.get("default");
        return def == null ? "" : String.join(",", def.ips);
    }

    /** A physical node of the instance (HostInstanceInfos.NodeInfo of DescribeDBInstanceHAConfig). */
    static final class HaNode {
        static final String MASTER = "Master";
        static final String SLAVE = "Slave";

        final String nodeId;
        final String zoneId;
        /** Master or Slave. */
        String type;

        HaNode(String nodeId, String zoneId, String type) {
            this.nodeId = nodeId;
            this.zoneId = zoneId;
            this.type = type;
        }
    }

    static final class DbAccount {
        final String name;
        final String type;
        String description;
        final Instant availableAt;
        /** dbName -> ReadWrite|ReadOnly|DDLOnly|DMLOnly|DBOwner. */
        final Map<String, String> privileges = new LinkedHashMap<>();

        DbAccount(String name, String type, String description, Instant availableAt) {
            this.name = name;
            this.type = type;
            this.description = description;
            this.availableAt = availableAt;
        }

        String status(Instant now) {
            return now.isBefore(availableAt) ? "Unavailable" : "Available";
        }
    }

    static final class Database {
        final String name;
        final String charset;
        String description;
        final Instant runningAt;

        Database(String name, String charset, String description, Instant runningAt) {
            this.name = name;
            this.charset = charset;
            this.description = description;
            this.runningAt = runningAt;
        }

        String status(Instant now) {
            return now.isBefore(runningAt) ? "Creating" : "Running";
        }
    }

    static final class IpArray {
        final String name;
        String attribute = "";
        String whitelistNetworkType = "MIX";
        final LinkedHashSet<String> ips = new LinkedHashSet<>();

        IpArray(String name) {
            this.name = name;
        }
    }

    static final class ParamState {
        String running;
        String pending;
        Instant applyAt;

        ParamState(String running) {
            this.running = running;
        }

        /** The newest value, applied or not. */
        String configured() {
            return pending != null ? pending : running;
        }
    }
}

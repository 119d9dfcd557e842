package io.rdsflow.testkit.aliyun;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The nodes of a simulated instance and the actions on them (API 2014-08-15):
 * <ul>
 *   <li>{@code DescribeDBInstanceHAConfig(DBInstanceId)} → {@code DBInstanceId}, {@code HAMode} (RPO),
 *       {@code SyncMode}, {@code HostInstanceInfos.NodeInfo[]} with {@code NodeId} (digits, a string),
 *       {@code NodeType} Master|Slave, {@code RegionId}, {@code ZoneId}, {@code SyncStatus}
 *       (NotAvailable for the Master, Synchronized for the Slave), {@code LogSyncTime},
 *       {@code DataSyncTime}. A Basic (or serverless_basic) instance has one node, every other
 *       category a Master and a Slave.</li>
 *   <li>{@code SwitchDBInstanceHA(DBInstanceId, NodeId, Force Yes|No, EffectiveTime Immediate)}: NodeId
 *       names the Slave to promote. The instance is {@code HASwitching} for the switch delay, then
 *       Running with the roles swapped. A one-node instance: {@code OperationDenied.DBInstanceType} (400);
 *       not Running: the wrong-state error; an unknown node, or the Master: {@code InvalidNodeId.Malformed}
 *       (400). {@code EffectiveTime=MaintainTime} is not simulated ({@code InvalidEffectiveTime.Malformed}).</li>
 *   <li>{@code RestartDBInstance(DBInstanceId, ClientToken)}: {@code Rebooting} for the restart delay, then
 *       Running. A ClientToken seen before on the instance is answered again without a second restart.
 *       Not Running: the wrong-state error.</li>
 * </ul>
 * Called by {@link SimulatedRds} under its lock.
 */
final class RdsHighAvailability {
    static final String HA_SWITCHING = "HASwitching";
    static final String REBOOTING = "Rebooting";
    private static final Set<String> SINGLE_NODE_CATEGORIES = Set.of("Basic", "serverless_basic");
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final SimulatedRds rds;

    RdsHighAvailability(SimulatedRds rds) {
        this.rds = rds;
    }

    /** Gives a new instance its nodes: the Master in its zone, the Slave (if its category has one) in ZoneIdSlave1. */
    static void addNodes(RdsInstance i) {
        i.haNodes.add(new RdsInstance.HaNode(Ids.digits(7), i.zoneId, RdsInstance.HaNode.MASTER));
        if (!SINGLE_NODE_CATEGORIES.contains(i.category)) {
            String zone = i.zoneIdSlave1 == null ? i.zoneId : i.zoneIdSlave1;
            i.haNodes.add(new RdsInstance.HaNode(Ids.digits(7), zone, RdsInstance.HaNode.SLAVE));
        }
    }

    Map<String, Object> describeHaConfig(RdsInstance i, ApiCall call, Instant now) {
        i.settleSwitch(now);
        boolean pair = i.haNodes.size() > 1;
        String synced = ISO_SECONDS.format(now);
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (RdsInstance.HaNode n : i.haNodes) {
            boolean master = n.type.equals(RdsInstance.HaNode.MASTER);
            nodes.add(Json.obj("NodeId", n.nodeId, "NodeType", n.type, "RegionId", i.regionId, "ZoneId", n.zoneId,
                    "SyncStatus", master ? "NotAvailable" : "Synchronized",
                    "LogSyncTime", master ? "" : synced, "DataSyncTime", master ? "" : synced));
        }
        return Json.obj("RequestId", call.requestId(), "DBInstanceId", i.id, "HAMode", "RPO",
                "SyncMode", pair ? "Semi-sync" : "Async", "HostInstanceInfos", Json.wrapped("NodeInfo", nodes));
    }

    Map<String, Object> switchHa(RdsInstance i, ApiCall call, Instant now) {
        String nodeId = call.required("NodeId");
        String force = call.get("Force", "No");
        if (!force.equals("Yes") && !force.equals("No")) {
            throw OpenApiError.malformed("Force", force);
        }
        String effective = call.get("EffectiveTime", "Immediate");
        if (!effective.equals("Immediate")) {
            throw OpenApiError.malformed("EffectiveTime", effective);
        }
        if (i.haNodes.size() < 2) {
            throw new OpenApiError(400, "OperationDenied.DBInstanceType",
                    "The operation is not permitted due to type of instance: " + i.id + " is " + i.category
                            + " and has no secondary node.");
        }
        rds.requireRunning(i, now);
        i.settleSwitch(now);
        RdsInstance.HaNode target = i.haNodes.stream().filter(n -> n.nodeId.equals(nodeId)).findFirst()
                .orElseThrow(() -> OpenApiError.malformed("NodeId", nodeId));
        if (target.type.equals(RdsInstance.HaNode.MASTER)) {
            throw new OpenApiError(400, "InvalidNodeId.Malformed",
                    "Specified parameter NodeId is not valid: " + nodeId + " is the primary node of " + i.id + ".");
        }
        i.switchTo = nodeId;
        i.busyStatus = HA_SWITCHING;
        i.busyUntil = now.plus(rds.switchDelay());
        rds.addTask(i, "SwitchDBInstanceHA", now, i.busyUntil);
        return Json.obj("RequestId", call.requestId());
    }

    Map<String, Object> restart(RdsInstance i, ApiCall call, Instant now) {
        String token = call.get("ClientToken");
        if (token != null && (token.length() > 64 || !token.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw OpenApiError.malformed("ClientToken", token);
        }
        if (token != null && i.restartTokens.contains(token)) {
            return Json.obj("RequestId", call.requestId()); // the same request again: restarted once
        }
        rds.requireRunning(i, now);
        i.settleSwitch(now);
        i.busyStatus = REBOOTING;
        i.busyUntil = now.plus(rds.restartDelay());
        if (token != null) {
            i.restartTokens.add(token);
        }
        i.effects.merge("RestartDBInstance", 1, Integer::sum);
        rds.addTask(i, "RestartDBInstance", now, i.busyUntil);
        return Json.obj("RequestId", call.requestId());
    }
}

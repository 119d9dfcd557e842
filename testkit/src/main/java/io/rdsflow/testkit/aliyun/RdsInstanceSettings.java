package io.rdsflow.testkit.aliyun;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RDS actions on an instance's settings: IP whitelists (ModifySecurityIps with
 * Cover/Append/Delete, DescribeDBInstanceIPArrayList), parameters (ModifyParameter, visible in
 * DescribeParameters.RunningParameters after the parameter delay; Forcerestart makes the
 * instance Rebooting meanwhile) and the backup policy (Modify/DescribeBackupPolicy).
 * Called by {@link SimulatedRds} under its lock, with the instance already resolved.
 */
final class RdsInstanceSettings {

    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final List<String> WEEKDAYS =
            List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    private static final Pattern PARAM_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.]*$");
    private static final Pattern BACKUP_TIME = Pattern.compile("^([01]\\d|2[0-3]):00Z-([01]\\d|2[0-4]):00Z$");
    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(/([0-9]|[12]\\d|3[0-2]))?$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:]+(/\\d{1,3})?$");

    private final SimulatedRds rds;

    RdsInstanceSettings(SimulatedRds rds) {
        this.rds = rds;
    }

    // ---- whitelists ----------------------------------------------------------------------

    Map<String, Object> modifySecurityIps(RdsInstance i, ApiCall call, Instant now) {
        List<String> ips = parseIps(call.required("SecurityIps"));
        String arrayName = call.get("DBInstanceIPArrayName", "Default");
        String mode = call.get("ModifyMode", "Cover");
        if (!Set.of("Cover", "Append", "Delete").contains(mode)) {
            throw OpenApiError.malformed("ModifyMode", mode);
        }
        rds.requireRunning(i, now);
        String key = arrayName.toLowerCase(Locale.ROOT);
        RdsInstance.IpArray array = i.ipArrays.get(key);
        if (array == null) {
            if (mode.equals("Delete")) {
                throw new OpenApiError(404, "InvalidDBInstanceIPArrayName.NotFound",
                        "Specified IP whitelist does not exist: " + arrayName);
            }
            array = new RdsInstance.IpArray(key.equals("default") ? "default" : arrayName);
            i.ipArrays.put(key, array);
        }
        switch (mode) {
            case "Cover" -> {
                array.ips.clear();
                array.ips.addAll(ips);
            }
            case "Append" -> array.ips.addAll(ips);
            default -> ips.forEach(array.ips::remove);
        }
        if (call.get("DBInstanceIPArrayAttribute") != null) {
            array.attribute = call.get("DBInstanceIPArrayAttribute");
        }
        if (array.ips.isEmpty()) {
            if (key.equals("default")) {
                array.ips.add("127.0.0.1");
            } else {
                i.ipArrays.remove(key);
            }
        }
        int total = i.ipArrays.values().stream().mapToInt(a -> a.ips.size()).sum();
        if (total > 1000) {
            throw new OpenApiError(400, "InvalidSecurityIPList.Duplicate", "At most 1000 whitelist entries are allowed.");
        }
        return Json.obj("RequestId", call.requestId(), "TaskId", Ids.digits(9));
    }

    Map<String, Object> describeIpArrays(RdsInstance i, ApiCall call, Instant now) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (RdsInstance.IpArray a : i.ipArrays.values()) {
            items.add(Json.obj(
                    "DBInstanceIPArrayName", a.name,
                    "DBInstanceIPArrayAttribute", a.attribute,
                    "SecurityIPType", "IPv4",
                    "SecurityIPList", String.join(",", a.ips),
                    "WhitelistNetworkType", a.whitelistNetworkType));
        }
        return Json.obj("RequestId", call.requestId(), "Items", Json.wrapped("DBInstanceIPArray", items));
    }

    static List<String> parseIps(String value) {
        List<String> out = new ArrayList<>();
        for (String ip : value.split(",")) {
            String s = ip.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!IPV4.matcher(s).matches() && !(s.contains(":") && IPV6.matcher(s).matches())) {
                throw OpenApiError.malformed("SecurityIPList", s);
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw OpenApiError.malformed("SecurityIPList", value);
        }
        return out;
    }

    // ---- parameters ----------------------------------------------------------------------

    Map<String, Object> modifyParameter(RdsInstance i, ApiCall call, Instant now) {
        String json = call.get("Parameters");
        if (json == null) {
            if (call.get("ParameterGroupId") != null) {
                throw new OpenApiError(400, "InvalidParameterGroupId.NotFound", "Parameter groups are not simulated.");
            }
            throw OpenApiError.missing("Parameters");
        }
        Map<String, String> values = new LinkedHashMap<>();
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new OpenApiError(400, "InvalidParameters.Format", "Parameters must be a JSON object.");
            }
            node.fields().forEachRemaining(e -> values.put(e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        } catch (JsonProcessingException e) {
            throw new OpenApiError(400, "InvalidParameters.Format", "Parameters is not valid JSON: " + e.getOriginalMessage());
        }
        if (values.isEmpty()) {
            throw new OpenApiError(400, "InvalidParameters.Format", "Parameters is empty.");
        }
        for (String name : values.keySet()) {
            if (!PARAM_NAME.matcher(name).matches()) {
                throw new OpenApiError(400, "InvalidParameters.Format", "Invalid parameter name: " + name);
            }
        }
        boolean restart = call.getBool("Forcerestart", false);
        rds.requireRunning(i, now);
        i.settleParameters(now);
        Instant applyAt = now.plus(rds.parameterDelay());
        values.forEach((name, value) -> {
            RdsInstance.ParamState p = i.parameters.computeIfAbsent(name, n -> new RdsInstance.ParamState(""));
            p.pending = value;
            p.applyAt = applyAt;
        });
        if (restart && applyAt.isAfter(now)) {
            i.busyStatus = "Rebooting";
            i.busyUntil = applyAt;
        }
        return Json.obj("RequestId", call.requestId());
    }

    Map<String, Object> describeParameters(RdsInstance i, ApiCall call, Instant now) {
        i.settleParameters(now);
        List<Map<String, Object>> running = new ArrayList<>();
        List<Map<String, Object>> configured = new ArrayList<>();
        i.parameters.forEach((name, p) -> {
            running.add(Json.obj("ParameterName", name, "ParameterValue", p.running, "ParameterDescription", ""));
            if (p.pending != null) {
                configured.add(Json.obj("ParameterName", name, "ParameterValue", p.configured(), "ParameterDescription", ""));
            }
        });
        return Json.obj("RequestId", call.requestId(),
                "Engine", i.engine,
                "EngineVersion", i.engineVersion,
                "RunningParameters", Json.wrapped("DBInstanceParameter", running),
                "ConfigParameters", Json.wrapped("DBInstanceParameter", configured));
    }

    // ---- backup policy -------------------------------------------------------------------

    Map<String, Object> modifyBackupPolicy(RdsInstance i, ApiCall call, Instant now) {
        Map<String, Object> changes = new LinkedHashMap<>();
        String time = call.get("PreferredBackupTime");
        if (time != null) {
            var m = BACKUP_TIME.matcher(time);
            if (!m.matches() || Integer.parseInt(m.group(2)) != Integer.parseInt(m.group(1)) + 1) {
                throw OpenApiError.malformed("PreferredBackupTime", time);
            }
            changes.put("PreferredBackupTime", time);
        }
        String period = call.get("PreferredBackupPeriod");
        if (period != null) {
            List<String> days = ApiCall.splitCsv(period);
            if (days.size() < 2 || !WEEKDAYS.containsAll(days) || new HashSet<>(days).size() != days.size()) {
                throw OpenApiError.malformed("PreferredBackupPeriod", period);
            }
            List<String> ordered = WEEKDAYS.stream().filter(days::contains).toList();
            changes.put("PreferredBackupPeriod", String.join(",", ordered));
        }
        if (call.get("BackupRetentionPeriod") != null) {
            int days = call.getInt("BackupRetentionPeriod", 7);
            if (days < 7 || days > 730) {
                throw OpenApiError.malformed("BackupRetentionPeriod", String.valueOf(days));
            }
            changes.put("BackupRetentionPeriod", days);
        }
        if (call.get("LogBackupRetentionPeriod") != null) {
            changes.put("LogBackupRetentionPeriod", call.getInt("LogBackupRetentionPeriod", 7));
        }
        if (call.get("LocalLogRetentionHours") != null) {
            changes.put("LocalLogRetentionHours", call.getInt("LocalLogRetentionHours", 18));
        }
        if (call.get("LogBackupLocalRetentionNumber") != null) {
            changes.put("LogBackupLocalRetentionNumber", call.getInt("LogBackupLocalRetentionNumber", 60));
        }
        for (String name : List.of("BackupLog", "EnableBackupLog", "LocalLogRetentionSpace",
                "HighSpaceUsageProtection", "LogBackupFrequency", "CompressType", "BackupMethod", "BackupInterval",
                "Category", "ReleasedKeepPolicy", "ArchiveBackupRetentionPeriod", "ArchiveBackupKeepCount",
                "ArchiveBackupKeepPolicy")) {
            if (call.get(name) != null) {
                changes.put(name, call.get(name));
            }
        }
        if (call.get("EnableIncrementDataBackup") != null) {
            changes.put("EnableIncrementDataBackup", call.getBool("EnableIncrementDataBackup", false));
        }
        String policyMode = call.get("BackupPolicyMode", "DataBackupPolicy");
        if (policyMode.equals("DataBackupPolicy") && (time == null || period == null)) {
            throw OpenApiError.missing(time == null ? "PreferredBackupTime" : "PreferredBackupPeriod");
        }
        rds.requireRunning(i, now);
        i.backupPolicy.putAll(changes);
        Map<String, Object> bp = i.backupPolicy;
        return Json.obj("RequestId", call.requestId(),
                "DBInstanceID", i.id,
                "EnableBackupLog", bp.get("EnableBackupLog"),
                "LocalLogRetentionHours", bp.get("LocalLogRetentionHours"),
                "LocalLogRetentionSpace", bp.get("LocalLogRetentionSpace"),
                "HighSpaceUsageProtection", bp.get("HighSpaceUsageProtection"),
                "LogBackupLocalRetentionNumber", bp.get("LogBackupLocalRetentionNumber"),
                "CompressType", bp.get("CompressType"));
    }

    Map<String, Object> describeBackupPolicy(RdsInstance i, ApiCall call, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("RequestId", call.requestId());
        m.putAll(i.backupPolicy);
        m.put("PreferredNextBackupTime", ISO_SECONDS.format(now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1))));
        return m;
    }
}

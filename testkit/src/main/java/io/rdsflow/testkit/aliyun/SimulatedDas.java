package io.rdsflow.testkit.aliyun;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * The simulated DAS service (API version 2020-01-16), action {@code GetMySQLAllSessionAsync}.
 * The first call (no {@code ResultId}) snapshots the instance's sessions and returns
 * {@code Data.ResultId} with {@code IsFinish:false, State:"RUNNING"}; a call with that
 * ResultId after {@link #setResultDelay} (default 0, i.e. the very next call) returns
 * {@code IsFinish:true, State:"SUCCESS"} and {@code SessionData}. Results are private to the
 * account. Sessions are set per instance id by tests ({@link #setSessions}); an instance that
 * neither exists in RDS for the account nor has sessions set gives {@code InvalidParams} 400.
 * {@link #failNextResults} makes results finish with {@code State:"FAIL", Fail:true} inside an
 * HTTP 200, as the real service sometimes does. Envelope:
 * {@code {"Code":200,"Message":"Successful","Success":true,"RequestId":...,"Data":{...}}}.
 */
public final class SimulatedDas {

    public static final String VERSION = "2020-01-16";
    static final String HOST_ID = "das.cn-shanghai.aliyuncs.com";
    public static final Set<String> ACTIONS = Set.of("GetMySQLAllSessionAsync");
    private static final Duration RESULT_TTL = Duration.ofMinutes(10);

    private record PendingResult(String uid, String instanceId, Instant createdAt, Instant readyAt, boolean fail,
                                 List<DasSession> sessions) {
    }

    private final Clock clock;
    private final BiPredicate<String, String> instanceExists;
    private final Map<String, List<DasSession>> sessions = new HashMap<>();
    private final Map<String, Integer> failNext = new HashMap<>();
    private final Map<String, PendingResult> results = new HashMap<>();
    private Duration resultDelay = Duration.ZERO;

    /**
     * @param instanceExists (uid, instanceId) -> whether the account owns that RDS instance
     */
    SimulatedDas(Clock clock, BiPredicate<String, String> instanceExists) {
        this.clock = clock;
        this.instanceExists = instanceExists;
    }

    /** Replaces the sessions reported for {@code instanceId} (any account). */
    public synchronized SimulatedDas setSessions(String instanceId, List<DasSession> list) {
        sessions.put(instanceId, List.copyOf(list));
        return this;
    }

    public synchronized SimulatedDas clearSessions(String instanceId) {
        sessions.remove(instanceId);
        return this;
    }

    /** Minimum time between the first call and a finished result (default 0). */
    public synchronized SimulatedDas setResultDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
        resultDelay = delay;
        return this;
    }

    /** The next {@code times} session queries of the instance end in {@code State:"FAIL"}. */
    public synchronized SimulatedDas failNextResults(String instanceId, int times) {
        failNext.merge(instanceId, times, Integer::sum);
        return this;
    }

    /** Number of session queries started and not yet expired. */
    public synchronized int openResults() {
        return results.size();
    }

    public synchronized void reset() {
        sessions.clear();
        failNext.clear();
        results.clear();
        resultDelay = Duration.ZERO;
    }

    synchronized Map<String, Object> handle(ApiCall call) {
        if (!call.action().equals("GetMySQLAllSessionAsync")) {
            throw new OpenApiError(404, "InvalidAction.NotFound", "Specified api is not found: " + call.action());
        }
        Instant now = clock.instant();
        results.values().removeIf(r -> now.isAfter(r.createdAt().plus(RESULT_TTL)));
        String instanceId = call.required("InstanceId");
        String resultId = call.get("ResultId");
        if (!sessions.containsKey(instanceId) && !instanceExists.test(call.uid(), instanceId)) {
            throw new OpenApiError(400, "InvalidParams", "The instance " + instanceId + " is not found.");
        }
        PendingResult result;
        if (resultId == null) {
            resultId = Ids.lowerAlnum(32);
            int fails = failNext.getOrDefault(instanceId, 0);
            if (fails > 0) {
                if (fails == 1) {
                    failNext.remove(instanceId);
                } else {
                    failNext.put(instanceId, fails - 1);
                }
            }
            result = new PendingResult(call.uid(), instanceId, now, now.plus(resultDelay), fails > 0,
                    sessions.getOrDefault(instanceId, List.of()));
            results.put(resultId, result);
            return envelope(call, data(resultId, false, "RUNNING", false, now, null));
        }
        result = results.get(resultId);
        if (result == null || !result.uid().equals(call.uid()) || !result.instanceId().equals(instanceId)) {
            throw new OpenApiError(400, "InvalidParams", "The ResultId " + resultId + " is not found.");
        }
        if (now.isBefore(result.readyAt())) {
            return envelope(call, data(resultId, false, "RUNNING", false, now, null));
        }
        if (result.fail()) {
            return envelope(call, data(resultId, true, "FAIL", true, now, null));
        }
        return envelope(call, data(resultId, true, "SUCCESS", false, now, sessionData(result.sessions(), now)));
    }

    private static Map<String, Object> envelope(ApiCall call, Map<String, Object> data) {
        return Json.obj("Code", 200, "Message", "Successful", "Success", true, "RequestId", call.requestId(),
                "Data", data);
    }

    private static Map<String, Object> data(String resultId, boolean finished, String state, boolean fail, Instant now,
                                            Map<String, Object> sessionData) {
        Map<String, Object> m = Json.obj("ResultId", resultId, "IsFinish", finished, "State", state,
                "Complete", finished && !fail, "Fail", fail, "Timestamp", now.toEpochMilli());
        m.put("SessionData", sessionData);
        return m;
    }

    static Map<String, Object> sessionData(List<DasSession> list, Instant now) {
        List<Map<String, Object>> rows = new ArrayList<>();
        long active = 0;
        long maxActiveTime = 0;
        for (DasSession s : list) {
            rows.add(Json.obj("SessionId", s.sessionId(), "User", s.user(), "Client", s.client(),
                    "DbName", s.dbName(), "Command", s.command(), "Time", s.timeSeconds(), "State", s.state(),
                    "SqlText", s.sqlText(), "TrxId", s.trxId(), "TrxDuration", s.trxDurationSeconds()));
            if (s.active()) {
                active++;
                maxActiveTime = Math.max(maxActiveTime, s.timeSeconds());
            }
        }
        return Json.obj(
                "TotalSessionCount", list.size(),
                "ActiveSessionCount", active,
                "MaxActiveTime", maxActiveTime,
                "TimeStamp", now.toEpochMilli(),
                "SessionList", rows,
                "UserStats", stats(list, DasSession::user),
                "ClientStats", stats(list, DasSession::clientHost),
                "DbStats", stats(list, DasSession::dbName));
    }

    private static List<Map<String, Object>> stats(List<DasSession> list,
                                                   java.util.function.Function<DasSession, String> key) {
        Map<String, List<DasSession>> groups = new TreeMap<>();
        for (DasSession s : list) {
            groups.computeIfAbsent(key.apply(s), k -> new ArrayList<>()).add(s);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        groups.forEach((k, group) -> {
            Set<String> users = new LinkedHashSet<>();
            List<Long> threads = new ArrayList<>();
            group.forEach(s -> {
                users.add(s.user());
                threads.add(s.sessionId());
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Key", k);
            m.put("TotalCount", group.size());
            m.put("ActiveCount", group.stream().filter(DasSession::active).count());
            m.put("ThreadIdList", threads);
            m.put("UserList", new ArrayList<>(users));
            out.add(m);
        });
        return out;
    }
}

package io.rdsflow.testkit.aliyun;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone:
 * <pre>
 * java -cp ... io.rdsflow.testkit.aliyun.SimulatorMain --port 9000 \
 *     --account 1234567890:LTAIsim:secret [--account ...] \
 *     --create-delay 2s --fault-rate 0.1 --after-effect-fault-rate 0.1 --seed 42 --throttle-rps 20 \
 *     [--instances-per-account 200 --sessions-per-instance 5]
 * </pre>
 * With {@code --instances-per-account N} every account (uid) starts with N Running instances
 * {@code rm-sim<AA>x<NNNNN>} (account number in the order given, instance number from 1), each
 * reporting {@code --sessions-per-instance K} DAS sessions (default 0: an empty session list); one
 * line {@code INSTANCE <uid> <instanceId>} per instance is printed before the port line.
 * Prints {@code OPENAPI_SIMULATOR_PORT=<port>} once listening, serves the counters at
 * {@code GET http://host:port/_sim/stats} and every instance with its accounts, databases and
 * effect counts at {@code GET http://host:port/_sim/instances}, and prints per-API call counts on shutdown
 * (Ctrl-C / SIGTERM). Without {@code --account} one account
 * {@code 1000000000000000:LTAIsimulator:simulator-secret} is configured.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        OpenApiSimulator.Builder b = OpenApiSimulator.builder();
        boolean anyAccount = false;
        double faultRate = 0;
        double afterEffectRate = 0;
        double afterEffectDropShare = 0.5;
        long seed = 0;
        int instancesPerAccount = 0;
        int sessionsPerInstance = 0;
        Set<String> uids = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            if (opt.equals("--help") || opt.equals("-h")) {
                usage();
                return;
            }
            if (i + 1 >= args.length) {
                fail("missing value for " + opt);
            }
            String v = args[++i];
            switch (opt) {
                case "--port" -> b.port(Integer.parseInt(v));
                case "--host" -> b.host(v);
                case "--account" -> {
                    SimulatedAccount account = SimulatedAccount.parse(v);
                    b.account(account);
                    uids.add(account.uid());
                    anyAccount = true;
                }
                case "--instances-per-account" -> instancesPerAccount = nonNegative(opt, v);
                case "--sessions-per-instance" -> sessionsPerInstance = nonNegative(opt, v);
                case "--create-delay" -> b.createDelay(duration(v));
                case "--delete-delay" -> b.deleteDelay(duration(v));
                case "--account-delay" -> b.accountDelay(duration(v));
                case "--database-delay" -> b.databaseDelay(duration(v));
                case "--parameter-delay" -> b.parameterDelay(duration(v));
                case "--switch-delay" -> b.switchDelay(duration(v));
                case "--restart-delay" -> b.restartDelay(duration(v));
                case "--das-result-delay" -> b.dasResultDelay(duration(v));
                case "--fault-rate" -> faultRate = probability(opt, v);
                case "--after-effect-fault-rate" -> afterEffectRate = probability(opt, v);
                case "--after-effect-drop-share" -> afterEffectDropShare = probability(opt, v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--throttle-rps" -> b.throttleRps(Double.parseDouble(v));
                case "--das-throttle-rps" -> b.dasThrottleRps(Double.parseDouble(v));
                case "--das-quota" -> {
                    if (!v.equals("shared") && !v.equals("per-account")) {
                        fail("--das-quota is shared or per-account, not " + v);
                    }
                    b.dasQuotaShared(v.equals("shared"));
                }
                case "--threads" -> b.workerThreads(Integer.parseInt(v));
                case "--wrong-state-error" -> {
                    String[] p = v.split(":", 2);
                    b.wrongStateError(p[0], p.length > 1 ? Integer.parseInt(p[1]) : 400);
                }
                default -> fail("unknown option " + opt);
            }
        }
        if (!anyAccount) {
            b.account("1000000000000000", "LTAIsimulator", "simulator-secret");
            uids.add("1000000000000000");
        }
        if (faultRate > 0) {
            b.faultRate(faultRate, seed);
        }
        if (afterEffectRate > 0) {
            b.afterEffectFaultRate(afterEffectRate, afterEffectDropShare, seed);
        }
        OpenApiSimulator sim = b.build();
        List<String[]> preRegistered = preRegister(sim, uids, instancesPerAccount, sessionsPerInstance);
        sim.start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.stop();
            System.out.println("Calls per API (action, total, per outcome):");
            System.out.print(sim.stats().format());
            System.out.println("throttled=" + sim.stats().throttled() + " instancesCreated="
                    + sim.rds().instancesCreated() + " faultsInjected=" + sim.faults().injectedCount()
                    + " afterEffectFaults=" + sim.faults().afterEffectCount());
            System.out.flush();
            done.countDown();
        }, "openapi-sim-shutdown"));
        System.out.println("OpenAPI simulator (RDS 2014-08-15, DAS 2020-01-16) on http://" + sim.endpoint());
        sim.accounts().forEach(a -> System.out.println("  account uid=" + a.uid() + " accessKeyId=" + a.accessKeyId()));
        if (instancesPerAccount > 0) {
            System.out.println("  " + instancesPerAccount + " Running instances per account, " + sessionsPerInstance
                    + " DAS sessions each");
            preRegistered.forEach(p -> System.out.println("INSTANCE " + p[0] + " " + p[1]));
        }
        if (afterEffectRate > 0) {
            System.out.println("  after-effect faults: " + afterEffectRate + " of mutating calls lose their answer after "
                    + "taking effect (" + afterEffectDropShare + " of them by a dropped connection, the rest by a 5xx)");
        }
        System.out.println("  stats: GET http://" + sim.endpoint() + "/_sim/stats, instances: GET http://"
                + sim.endpoint() + "/_sim/instances");
        System.out.println("OPENAPI_SIMULATOR_PORT=" + sim.port());
        System.out.flush();
        done.await();
    }

    /**
     * Registers {@code perAccount} Running instances for each uid, with {@code sessions} DAS sessions each.
     * Returns {uid, instanceId} pairs in order.
     */
    static List<String[]> preRegister(OpenApiSimulator sim, Set<String> uids, int perAccount, int sessions) {
        List<String[]> out = new ArrayList<>();
        int a = 0;
        for (String uid : uids) {
            a++;
            for (int i = 1; i <= perAccount; i++) {
                String id = String.format(Locale.ROOT, "rm-sim%02dx%05d", a, i);
                sim.rds().registerInstance(uid, id);
                if (sessions > 0) {
                    sim.das().setSessions(id, sessions(i, sessions));
                }
                out.add(new String[] {uid, id});
            }
        }
        return out;
    }

    /**
     * {@code k} sessions of instance number {@code n}: users {@code app0..app2}, client hosts
     * {@code 10.1.<0..3>.<n % 250>}, databases {@code db0}/{@code db1}; odd sessions run a query
     * (active), even ones sleep.
     */
    static List<DasSession> sessions(int n, int k) {
        List<DasSession> list = new ArrayList<>(k);
        for (int s = 0; s < k; s++) {
            String client = "10.1." + (s % 4) + "." + (n % 250) + ":" + (40000 + s);
            String user = "app" + (s % 3);
            String db = "db" + (s % 2);
            list.add(s % 2 == 0
                    ? DasSession.sleeping(1000 + s, user, client, db, 10L + s)
                    : DasSession.of(1000 + s, user, client, db, "Query", s, "executing", "SELECT SLEEP(" + s + ")"));
        }
        return list;
    }

    private static double probability(String opt, String v) {
        try {
            double p = Double.parseDouble(v);
            if (p >= 0 && p <= 1) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        fail(opt + " must be a probability within [0,1], got " + v);
        return 0;
    }

    private static int nonNegative(String opt, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        fail(opt + " must be a whole number >= 0, got " + v);
        return 0;
    }

    /** {@code 2s}, {@code 500ms}, {@code 1m}, {@code 1h}, a bare number of seconds, or ISO-8601 {@code PT2S}. */
    static Duration duration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofSeconds(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60));
            }
            if (s.endsWith("h")) {
                return Duration.ofSeconds(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 3600));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: " + v, e);
        }
    }

    private static void usage() {
        System.out.println("""
                Usage: SimulatorMain [options]
                  --port N                 port (default 0 = ephemeral)
                  --host H                 bind address (default 127.0.0.1)
                  --account uid:akId:akSecret   repeatable
                  --create-delay D         Creating -> Running (default 1s); D like 2s, 500ms, 1m, PT2S
                  --delete-delay D         Deleting -> gone (default 1s)
                  --account-delay D        account Unavailable -> Available (default 200ms)
                  --database-delay D       database Creating -> Running (default 200ms)
                  --parameter-delay D      ModifyParameter visible after (default 500ms)
                  --switch-delay D         SwitchDBInstanceHA: HASwitching for (default 500ms)
                  --restart-delay D        RestartDBInstance: Rebooting for (default 500ms)
                  --das-result-delay D     DAS session result ready after (default 0)
                  --fault-rate P           random InternalError/ServiceUnavailable probability, before
                                           the call takes effect (any call)
                  --after-effect-fault-rate P  probability that a mutating call (Create*, Modify*,
                                           GrantAccountPrivilege, DeleteDBInstance, SwitchDBInstanceHA,
                                           RestartDBInstance) takes effect and
                                           then loses its answer (default 0)
                  --after-effect-drop-share S  share of those answered by a dropped connection, the rest
                                           by InternalError/ServiceUnavailable (default 0.5)
                  --seed N                 seed for the random faults (default 0)
                  --throttle-rps R         calls/s per account per action (default unlimited)
                  --das-throttle-rps R     GetMySQLAllSessionAsync calls/s per account (default 60)
                  --das-quota Q            shared: that rate for all accounts together (seed 000);
                                           per-account: for each account (default)
                  --wrong-state-error C:S  error for non-Running instances (default IncorrectDBInstanceState:500)
                  --threads N              HTTP worker threads (default 64)
                  --instances-per-account N  pre-register N Running instances rm-sim<AA>x<NNNNN> per account
                                           (printed as INSTANCE <uid> <id> lines; default 0)
                  --sessions-per-instance K  DAS sessions each pre-registered instance reports (default 0)""");
    }

    private static void fail(String message) {
        System.err.println(message);
        usage();
        System.exit(2);
    }
}

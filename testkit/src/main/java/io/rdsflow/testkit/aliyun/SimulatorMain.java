package io.rdsflow.testkit.aliyun;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone:
 * <pre>
 * java -cp ... io.rdsflow.testkit.aliyun.SimulatorMain --port 9000 \
 *     --account 1234567890:LTAIsim:secret [--account ...] \
 *     --create-delay 2s --fault-rate 0.1 --seed 42 --throttle-rps 20
 * </pre>
 * Prints {@code OPENAPI_SIMULATOR_PORT=<port>} once listening, serves the counters at
 * {@code GET http://host:port/_sim/stats}, and prints per-API call counts on shutdown
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
        long seed = 0;
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
                    b.account(SimulatedAccount.parse(v));
                    anyAccount = true;
                }
                case "--create-delay" -> b.createDelay(duration(v));
                case "--delete-delay" -> b.deleteDelay(duration(v));
                case "--account-delay" -> b.accountDelay(duration(v));
                case "--database-delay" -> b.databaseDelay(duration(v));
                case "--parameter-delay" -> b.parameterDelay(duration(v));
                case "--das-result-delay" -> b.dasResultDelay(duration(v));
                case "--fault-rate" -> faultRate = Double.parseDouble(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--throttle-rps" -> b.throttleRps(Double.parseDouble(v));
                case "--das-throttle-rps" -> b.dasThrottleRps(Double.parseDouble(v));
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
        }
        if (faultRate > 0) {
            b.faultRate(faultRate, seed);
        }
        OpenApiSimulator sim = b.start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.stop();
            System.out.println("Calls per API (action, total, per outcome):");
            System.out.print(sim.stats().format());
            System.out.println("throttled=" + sim.stats().throttled() + " instancesCreated="
                    + sim.rds().instancesCreated() + " faultsInjected=" + sim.faults().injectedCount());
            System.out.flush();
            done.countDown();
        }, "openapi-sim-shutdown"));
        System.out.println("OpenAPI simulator (RDS 2014-08-15, DAS 2020-01-16) on http://" + sim.endpoint());
        sim.accounts().forEach(a -> System.out.println("  account uid=" + a.uid() + " accessKeyId=" + a.accessKeyId()));
        System.out.println("  stats: GET http://" + sim.endpoint() + "/_sim/stats");
        System.out.println("OPENAPI_SIMULATOR_PORT=" + sim.port());
        System.out.flush();
        done.await();
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
                  --das-result-delay D     DAS session result ready after (default 0)
                  --fault-rate P           random InternalError/ServiceUnavailable probability
                  --seed N                 seed for --fault-rate (default 0)
                  --throttle-rps R         calls/s per account per action (default unlimited)
                  --das-throttle-rps R     GetMySQLAllSessionAsync calls/s per account (default 60)
                  --wrong-state-error C:S  error for non-Running instances (default IncorrectDBInstanceState:500)
                  --threads N              HTTP worker threads (default 64)""");
    }

    private static void fail(String message) {
        System.err.println(message);
        usage();
        System.exit(2);
    }
}

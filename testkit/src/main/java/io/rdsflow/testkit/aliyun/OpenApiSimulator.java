package io.rdsflow.testkit.aliyun;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process HTTP simulator of the Alibaba Cloud RDS (2014-08-15) and DAS (2020-01-16)
 * OpenAPI, spoken to by the real Tea SDK clients over plain HTTP:
 * <pre>{@code
 * try (OpenApiSimulator sim = OpenApiSimulator.builder()
 *         .account("1234567890", "LTAItestkey", "test-secret")
 *         .createDelay(Duration.ofMillis(300))
 *         .start()) {
 *     Config cfg = new Config().setAccessKeyId("LTAItestkey").setAccessKeySecret("test-secret")
 *             .setEndpoint(sim.endpoint()).setProtocol("HTTP");
 *     var rds = new com.aliyun.rds20140815.Client(cfg);
 *     ...
 * }
 * }</pre>
 * Every request is routed on the {@code x-acs-version} / {@code x-acs-action} headers, and
 * passes, in order: ACS3-HMAC-SHA256 verification against the account table
 * ({@link Acs3SignatureVerifier}), the per-account per-action {@link Throttler}, the
 * {@link Faults} (latency, 5xx, dropped connections), then {@link SimulatedRds} or
 * {@link SimulatedDas}, then the after-effect {@link Faults} (the change is made, its answer is a
 * 5xx or a dropped connection). Errors are answered with 4xx/5xx and
 * {@code {"RequestId","HostId","Code","Message","Recommend"}}; every answer is counted in
 * {@link #stats()}. {@code GET /_sim/stats} returns the counters as JSON (no signature);
 * {@code GET /_sim/instances} every instance of every account with its accounts, databases and
 * how often each change took effect ({@link SimulatedRds#effectsView()}).
 *
 * <p>{@link #stop()} keeps all state; {@link #start()} again re-binds the same port.
 * Thread safe.
 */
public final class OpenApiSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenApiSimulator.class);

    static {
        // The JDK HttpServer writes response headers and body separately; with Nagle on, keep-alive
        // calls then wait for the peer's delayed ACK (~40-50 ms each). The flag is read once, when
        // the first JDK HttpServer of the JVM is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
    public static final String DEFAULT_HOST = "127.0.0.1";

    private final String host;
    private volatile int port;
    private final int workerThreads;
    private final Map<String, SimulatedAccount> accounts = new ConcurrentHashMap<>();
    private final Acs3SignatureVerifier verifier;
    private final SimulatedRds rds;
    private final SimulatedDas das;
    private final Faults faults = new Faults();
    private final Throttler throttler = new Throttler();
    private final CallStats stats = new CallStats();

    private HttpServer server;
    private ExecutorService executor;

    private OpenApiSimulator(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.workerThreads = b.workerThreads;
        b.accounts.forEach(this::addAccount);
        this.verifier = new Acs3SignatureVerifier(accounts::get, b.signatureClock, b.maxClockSkew);
        this.rds = new SimulatedRds(b.clock);
        this.das = new SimulatedDas(b.clock, (uid, id) -> rds.instanceStatus(uid, id).isPresent());
        if (b.createDelay != null) {
            rds.setCreateDelay(b.createDelay);
        }
        if (b.deleteDelay != null) {
            rds.setDeleteDelay(b.deleteDelay);
        }
        if (b.accountDelay != null) {
            rds.setAccountDelay(b.accountDelay);
        }
        if (b.databaseDelay != null) {
            rds.setDatabaseDelay(b.databaseDelay);
        }
        if (b.parameterDelay != null) {
            rds.setParameterDelay(b.parameterDelay);
        }
        if (b.switchDelay != null) {
            rds.setSwitchDelay(b.switchDelay);
        }
        if (b.restartDelay != null) {
            rds.setRestartDelay(b.restartDelay);
        }
        if (b.specDelay != null) {
            rds.setSpecDelay(b.specDelay);
        }
        if (b.dasResultDelay != null) {
            das.setResultDelay(b.dasResultDelay);
        }
        if (b.wrongStateCode != null) {
            rds.setWrongStateError(b.wrongStateCode, b.wrongStateStatus);
        }
        throttler.setDefaultRate(b.throttleRps);
        throttler.setRate("GetMySQLAllSessionAsync", b.dasThrottleRps);
        throttler.setShared("GetMySQLAllSessionAsync", b.dasQuotaShared);
        b.actionThrottles.forEach(throttler::setRate);
        if (b.faultRate > 0) {
            faults.randomServerErrors(b.faultRate, b.faultSeed);
        }
        if (b.afterEffectFaultRate > 0) {
            faults.randomAfterEffectFaults(b.afterEffectFaultRate, b.afterEffectDropShare, b.afterEffectSeed);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- lifecycle -----------------------------------------------------------------------

    /**
     * Binds and starts serving. The first start binds the configured port (0 = ephemeral);
     * later starts re-bind the port chosen the first time. Returns this.
     */
    public synchronized OpenApiSimulator start() {
        if (server != null) {
            return this;
        }
        HttpServer s = bind();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "openapi-sim-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = Executors.newFixedThreadPool(workerThreads, tf);
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        s.start();
        server = s;
        port = s.getAddress().getPort();
        LOG.info("OpenAPI simulator listening on {}:{}", host, port);
        return this;
    }

    private HttpServer bind() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                return HttpServer.create(new InetSocketAddress(host, port), 128);
            } catch (BindException e) {
                if (port == 0 || System.nanoTime() > deadline) {
                    throw new UncheckedIOException("cannot bind " + host + ":" + port, e);
                }
                sleep(Duration.ofMillis(50));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops serving and closes open connections; state, counters and the port are kept. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        server = null;
        executor = null;
        LOG.info("OpenAPI simulator on port {} stopped", port);
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
    }

    /** The bound port (after the first start), else the configured one. */
    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    /** {@code host:port}, what the SDK's {@code Config.setEndpoint} wants (no scheme). */
    public String endpoint() {
        return host + ":" + port;
    }

    // ---- accounts ------------------------------------------------------------------------

    public OpenApiSimulator addAccount(String uid, String accessKeyId, String accessKeySecret) {
        return addAccount(new SimulatedAccount(uid, accessKeyId, accessKeySecret));
    }

    /** Adds (or replaces, by AccessKey id) an account entry. Several keys may share a uid. */
    public OpenApiSimulator addAccount(SimulatedAccount account) {
        accounts.put(account.accessKeyId(), account);
        return this;
    }

    public void removeAccount(String accessKeyId) {
        accounts.remove(accessKeyId);
    }

    public List<SimulatedAccount> accounts() {
        return List.copyOf(accounts.values());
    }

    // ---- parts ---------------------------------------------------------------------------

    /** RDS state, delays and test hooks. */
    public SimulatedRds rds() {
        return rds;
    }

    /** DAS session data and hooks. */
    public SimulatedDas das() {
        return das;
    }

    public Faults faults() {
        return faults;
    }

    public Throttler throttling() {
        return throttler;
    }

    public CallStats stats() {
        return stats;
    }

    // ---- request handling ----------------------------------------------------------------

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path != null && path.startsWith("/_sim/")) {
                admin(ex, path);
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    headers.put(k.toLowerCase(Locale.ROOT), v.get(0));
                }
            });
            String action = headers.get("x-acs-action");
            String version = headers.get("x-acs-version");
            String requestId = Ids.requestId();
            String statsAction = action == null || action.isBlank() ? "-" : action;
            String hostId = SimulatedDas.VERSION.equals(version) ? SimulatedDas.HOST_ID : SimulatedRds.HOST_ID;
            try {
                // counters are updated before answering, so a caller never sees a stale count
                Map<String, Object> result = process(ex, action, version, requestId, headers, body);
                if (result == null) { // connection dropped: closing the exchange unanswered closes the socket
                    stats.record(statsAction, CallStats.DROPPED);
                    return;
                }
                stats.record(statsAction, CallStats.OK);
                send(ex, 200, requestId, result);
            } catch (OpenApiError e) {
                stats.record(statsAction, e.code());
                sendError(ex, requestId, hostId, e);
            } catch (RuntimeException e) {
                LOG.warn("simulator failure on {}", statsAction, e);
                OpenApiError err = OpenApiError.internalError();
                stats.record(statsAction, err.code());
                sendError(ex, requestId, hostId, err);
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    /** Returns the success body, or null when the connection was dropped by a fault. */
    private Map<String, Object> process(HttpExchange ex, String action, String version, String requestId,
                                        Map<String, String> headers, byte[] body) {
        if (action == null || action.isBlank() || version == null || version.isBlank()) {
            throw new OpenApiError(400, "MissingParameter",
                    "The x-acs-action and x-acs-version headers are required (ACS3 signature style).");
        }
        SimulatedAccount account = verifier.verify(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestURI().getRawQuery(), headers, body);
        boolean isRds = SimulatedRds.VERSION.equals(version);
        boolean isDas = SimulatedDas.VERSION.equals(version);
        if (!isRds && !isDas) {
            throw new OpenApiError(400, "InvalidVersion", "Specified parameter Version is not valid: " + version);
        }
        if (!(isRds ? SimulatedRds.ACTIONS : SimulatedDas.ACTIONS).contains(action)) {
            throw new OpenApiError(404, "InvalidAction.NotFound",
                    "Specified api is not found, please check your url and method: " + action);
        }
        Map<String, String> params = new HashMap<>(Acs3SignatureVerifier.decodeForm(ex.getRequestURI().getRawQuery()));
        String contentType = headers.getOrDefault("content-type", "");
        if (contentType.startsWith("application/x-www-form-urlencoded") && body.length > 0) {
            params.putAll(Acs3SignatureVerifier.decodeForm(new String(body, StandardCharsets.UTF_8)));
        }
        if (!throttler.tryAcquire(account.uid(), action)) {
            throw OpenApiError.throttling(action);
        }
        sleep(faults.latencyFor(action));
        Faults.Fault fault = faults.before(action);
        if (fault != null) {
            if (fault.kind() == Faults.Kind.DROP) {
                // as if the request never arrived: a client re-send with the same nonce must pass
                verifier.forgetNonce(account.accessKeyId(), headers.get("x-acs-signature-nonce"));
                return null;
            }
            throw fault.error();
        }
        ApiCall call = new ApiCall(action, version, account.uid(), account.accessKeyId(), requestId, params);
        Map<String, Object> result = isRds ? rds.handle(call) : das.handle(call);
        // the action took effect; a fault now loses its answer (the nonce stays used)
        Faults.Fault lost = faults.afterEffect(action, isRds && SimulatedRds.MUTATING_ACTIONS.contains(action));
        if (lost != null) {
            stats.recordLostAnswer(action);
            if (lost.kind() == Faults.Kind.DROP) {
                return null;
            }
            throw lost.error();
        }
        return result;
    }

    private void admin(HttpExchange ex, String path) throws IOException {
        if (path.equals("/_sim/health")) {
            send(ex, 200, null, Map.of("status", "ok"));
        } else if (path.equals("/_sim/stats")) {
            send(ex, 200, null, statsJson());
        } else if (path.equals("/_sim/instances")) {
            send(ex, 200, null, Json.obj("instances", rds.effectsView()));
        } else {
            send(ex, 404, null, Map.of("error", "unknown admin path " + path));
        }
    }

    /** The counters as a JSON-ready map (also served at {@code GET /_sim/stats}). */
    public Map<String, Object> statsJson() {
        Map<String, Object> calls = new LinkedHashMap<>();
        stats.snapshot().forEach((action, codes) -> calls.put(action, Json.obj(
                "total", codes.values().stream().mapToLong(Long::longValue).sum(), "codes", codes,
                "lostAfterApplying", stats.lostAnswers(action))));
        return Json.obj("port", port, "totalCalls", stats.totalCalls(), "throttled", stats.throttled(),
                "instancesCreated", rds.instancesCreated(), "faultsInjected", faults.injectedCount(),
                "afterEffectFaults", faults.afterEffectCount(), "calls", calls);
    }

    private static void sendError(HttpExchange ex, String requestId, String hostId, OpenApiError e) throws IOException {
        send(ex, e.httpStatus(), requestId, Json.obj(
                "RequestId", requestId,
                "HostId", hostId,
                "Code", e.code(),
                "Message", e.getMessage(),
                "Recommend", "https://api.aliyun.com/troubleshoot?q=" + e.code() + "&product=Rds"));
    }

    private static void send(HttpExchange ex, int status, String requestId, Object body) throws IOException {
        byte[] bytes = Json.bytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        if (requestId != null) {
            ex.getResponseHeaders().set("x-acs-request-id", requestId);
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- builder -------------------------------------------------------------------------

    /** Configuration; every setting has a default, {@link #start()} builds and starts. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port;
        private int workerThreads = 64;
        private final List<SimulatedAccount> accounts = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Clock signatureClock = Clock.systemUTC();
        private Duration maxClockSkew = Duration.ofMinutes(15);
        private Duration createDelay;
        private Duration deleteDelay;
        private Duration accountDelay;
        private Duration databaseDelay;
        private Duration parameterDelay;
        private Duration switchDelay;
        private Duration restartDelay;
        private Duration specDelay;
        private Duration dasResultDelay;
        private String wrongStateCode;
        private int wrongStateStatus;
        private double throttleRps;
        private double dasThrottleRps = 60;
        private boolean dasQuotaShared;
        private final Map<String, Double> actionThrottles = new LinkedHashMap<>();
        private double faultRate;
        private long faultSeed;
        private double afterEffectFaultRate;
        private double afterEffectDropShare = 0.5;
        private long afterEffectSeed;

        private Builder() {
        }

        /** Interface to bind (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Port (default 0 = ephemeral, see {@link OpenApiSimulator#port()}). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** HTTP worker threads (default 64). */
        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        public Builder account(String uid, String accessKeyId, String accessKeySecret) {
            accounts.add(new SimulatedAccount(uid, accessKeyId, accessKeySecret));
            return this;
        }

        public Builder account(SimulatedAccount account) {
            accounts.add(account);
            return this;
        }

        /** Clock of the simulated resources (default system UTC; see {@link ManualClock}). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Clock the x-acs-date of requests is checked against (default system UTC). */
        public Builder signatureClock(Clock clock) {
            this.signatureClock = clock;
            return this;
        }

        /** Allowed x-acs-date skew (default 15 min). */
        public Builder maxClockSkew(Duration skew) {
            this.maxClockSkew = skew;
            return this;
        }

        /** Creating → Running delay of new instances (default 1 s). */
        public Builder createDelay(Duration d) {
            this.createDelay = d;
            return this;
        }

        /** Deleting → gone delay (default 1 s). */
        public Builder deleteDelay(Duration d) {
            this.deleteDelay = d;
            return this;
        }

        /** Database account Unavailable → Available delay (default 200 ms). */
        public Builder accountDelay(Duration d) {
            this.accountDelay = d;
            return this;
        }

        /** Database Creating → Running delay (default 200 ms). */
        public Builder databaseDelay(Duration d) {
            this.databaseDelay = d;
            return this;
        }

        /** Delay until a ModifyParameter value is running (default 500 ms). */
        public Builder parameterDelay(Duration d) {
            this.parameterDelay = d;
            return this;
        }

        /** HASwitching → Running (roles swapped) delay of SwitchDBInstanceHA (default 500 ms). */
        public Builder switchDelay(Duration d) {
            this.switchDelay = d;
            return this;
        }

        /** Rebooting → Running delay of RestartDBInstance (default 500 ms). */
        public Builder restartDelay(Duration d) {
            this.restartDelay = d;
            return this;
        }

        /** DBInstanceClassChanging / MinorVersionUpgrading → Running delay of ModifyDBInstanceSpec and
         *  UpgradeDBInstanceKernelVersion (default 500 ms). */
        public Builder specDelay(Duration d) {
            this.specDelay = d;
            return this;
        }

        /** Minimum delay before a DAS session result finishes (default 0: the next call). */
        public Builder dasResultDelay(Duration d) {
            this.dasResultDelay = d;
            return this;
        }

        /** Sets every state delay (create, delete, account, database, parameter, switch, restart) at once. */
        public Builder allDelays(Duration d) {
            createDelay = d;
            deleteDelay = d;
            accountDelay = d;
            databaseDelay = d;
            parameterDelay = d;
            switchDelay = d;
            restartDelay = d;
            specDelay = d;
            return this;
        }

        /** Error for calls on a non-Running instance (default IncorrectDBInstanceState / 500). */
        public Builder wrongStateError(String code, int httpStatus) {
            this.wrongStateCode = code;
            this.wrongStateStatus = httpStatus;
            return this;
        }

        /** Default calls/second per account per action, all actions ({@code <= 0}: unlimited, the default). */
        public Builder throttleRps(double rps) {
            this.throttleRps = rps;
            return this;
        }

        /** Calls/second per account for one action. */
        public Builder throttleRps(String action, double rps) {
            actionThrottles.put(action, rps);
            return this;
        }

        /** Calls/second per account for DAS GetMySQLAllSessionAsync (default 60). */
        public Builder dasThrottleRps(double rps) {
            this.dasThrottleRps = rps;
            return this;
        }

        /** DAS GetMySQLAllSessionAsync throttled by one bucket for all accounts (seed 000), not one per account. */
        public Builder dasQuotaShared(boolean shared) {
            this.dasQuotaShared = shared;
            return this;
        }

        /** Random InternalError/ServiceUnavailable on a fraction of all calls, seeded. */
        public Builder faultRate(double probability, long seed) {
            this.faultRate = probability;
            this.faultSeed = seed;
            return this;
        }

        /**
         * Random after-effect faults: each mutating call that took effect loses its answer with
         * probability {@code p}, half by a dropped connection, half by a 5xx; seeded.
         */
        public Builder afterEffectFaultRate(double probability, long seed) {
            return afterEffectFaultRate(probability, 0.5, seed);
        }

        /** As {@link #afterEffectFaultRate(double, long)} with {@code dropShare} of them dropping the connection. */
        public Builder afterEffectFaultRate(double probability, double dropShare, long seed) {
            this.afterEffectFaultRate = probability;
            this.afterEffectDropShare = dropShare;
            this.afterEffectSeed = seed;
            return this;
        }

        /** Builds without starting. */
        public OpenApiSimulator build() {
            return new OpenApiSimulator(this);
        }

        /** Builds and starts. */
        public OpenApiSimulator start() {
            return build().start();
        }
    }
}

package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static io.rdsflow.testkit.aliyun.Sdk.teaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaUnretryableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Injected 5xx, lost responses, dropped connections, latency and seeded random errors. */
class FaultInjectionTest {

    private static final String ID = "rm-faultsaaaaaaaaaaa1";
    private OpenApiSimulator sim;
    private com.aliyun.rds20140815.Client rds;

    @BeforeEach
    void start() {
        sim = Sdk.twoAccounts().start();
        sim.rds().registerInstance(UID_A, ID);
        rds = Sdk.rds(sim, AK_A, SK_A);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void nextCallsFailWith5xxThenRecover() throws Exception {
        sim.faults().failNext("DescribeDBInstanceAttribute", 1)
                .failNext("DescribeDBInstanceAttribute", 1, "ServiceUnavailable", 503);

        TeaException first = teaError(() -> Sdk.describe(rds, ID));
        assertThat(first.getStatusCode()).isEqualTo(500);
        assertThat(first.getCode()).isEqualTo("InternalError");
        TeaException second = teaError(() -> Sdk.describe(rds, ID));
        assertThat(second.getStatusCode()).isEqualTo(503);
        assertThat(second.getCode()).isEqualTo("ServiceUnavailable");
        assertThat(Sdk.status(rds, ID)).isEqualTo("Running");

        assertThat(sim.stats().calls("DescribeDBInstanceAttribute")).isEqualTo(3);
        assertThat(sim.stats().calls("DescribeDBInstanceAttribute", "InternalError")).isEqualTo(1);
        assertThat(sim.stats().calls("DescribeDBInstanceAttribute", "ServiceUnavailable")).isEqualTo(1);
        assertThat(sim.faults().injectedCount()).isEqualTo(2);
    }

    @Test
    void wildcardFaultHitsAnyAction() {
        sim.faults().failNext(Faults.ANY, 1);
        TeaException e = teaError(() -> rds.describeAccounts(
                new com.aliyun.rds20140815.models.DescribeAccountsRequest().setDBInstanceId(ID)));
        assertThat(e.getStatusCode()).isEqualTo(500);
    }

    @Test
    void lostCreateResponseIsRecoveredWithTheClientToken() throws Exception {
        sim.faults().failNextAfterApplying("CreateDBInstance", 1);

        TeaException lost = teaError(() -> rds.createDBInstance(Sdk.createRequest("retry-token-1")));
        assertThat(lost.getStatusCode()).isEqualTo(500);
        assertThat(sim.rds().instancesCreated()).isEqualTo(1); // it did happen

        String id = rds.createDBInstance(Sdk.createRequest("retry-token-1")).getBody().getDBInstanceId();
        assertThat(sim.rds().instancesCreated()).isEqualTo(1);
        assertThat(sim.rds().instanceIds(UID_A)).containsExactly(ID, id);
    }

    @Test
    void droppedConnectionSurfacesAsUnretryableException() throws Exception {
        // OkHttp re-sends once on a reused keep-alive connection, so drop two attempts
        sim.faults().dropNext("DescribeDBInstanceAttribute", 2);
        Throwable t = catchThrowable(() -> Sdk.describe(rds, ID));
        assertThat(t).isInstanceOf(TeaUnretryableException.class);
        assertThat(sim.stats().calls("DescribeDBInstanceAttribute", CallStats.DROPPED)).isBetween(1L, 2L);

        while (sim.faults().pending("DescribeDBInstanceAttribute") > 0) {
            catchThrowable(() -> Sdk.describe(rds, ID));
        }
        assertThat(Sdk.status(rds, ID)).isEqualTo("Running");
    }

    @Test
    void singleDropOnAReusedConnectionIsHiddenByOkHttpsResend() throws Exception {
        Sdk.describe(rds, ID); // opens the keep-alive connection
        sim.faults().dropNext("DescribeDBInstanceAttribute", 1);
        assertThat(Sdk.status(rds, ID)).isEqualTo("Running");
        assertThat(sim.stats().calls("DescribeDBInstanceAttribute", CallStats.DROPPED)).isEqualTo(1);
        assertThat(sim.stats().calls("DescribeDBInstanceAttribute", CallStats.OK)).isEqualTo(2);
    }

    @Test
    void lostResponseOnAReusedConnectionComesBackAsNonceUsed() throws Exception {
        Sdk.describe(rds, ID);
        sim.faults().dropNextAfterApplying("CreateDBInstance", 1);
        TeaException e = teaError(() -> rds.createDBInstance(Sdk.createRequest("lost-response")));
        assertThat(e.getCode()).isEqualTo("SignatureNonceUsed");
        assertThat(sim.rds().instancesCreated()).isEqualTo(1);
        // the engine's retry (new nonce, same ClientToken) finds the instance
        String id = rds.createDBInstance(Sdk.createRequest("lost-response")).getBody().getDBInstanceId();
        assertThat(sim.rds().instanceIds(UID_A)).containsExactly(ID, id);
        assertThat(sim.rds().instancesCreated()).isEqualTo(1);
    }

    @Test
    void latencyIsAdded() throws Exception {
        Sdk.describe(rds, ID); // warm up
        sim.faults().latency("DescribeDBInstanceAttribute", Duration.ofMillis(300));
        long t0 = System.nanoTime();
        Sdk.describe(rds, ID);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        sim.faults().latency("DescribeDBInstanceAttribute", Duration.ZERO);
        t0 = System.nanoTime();
        Sdk.describe(rds, ID);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(300));
    }

    @Test
    void seededRandomErrorsAreReproducible() throws Exception {
        List<Integer> run1 = randomRun(7);
        List<Integer> run2 = randomRun(7);
        assertThat(run1).isEqualTo(run2);
        long failures = run1.stream().filter(s -> s != 200).count();
        assertThat(failures).isBetween(5L, 35L); // p = 0.3 over 60 calls
        assertThat(run1).allMatch(s -> s == 200 || s == 500 || s == 503);
        assertThat(run1).contains(500, 503);
    }

    private List<Integer> randomRun(long seed) throws Exception {
        try (OpenApiSimulator s = Sdk.twoAccounts().faultRate(0.3, seed).start()) {
            s.rds().registerInstance(UID_A, ID);
            var client = Sdk.rds(s, AK_A, SK_A);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                try {
                    Sdk.describe(client, ID);
                    statuses.add(200);
                } catch (TeaException e) {
                    statuses.add(e.getStatusCode());
                }
            }
            long failures = statuses.stream().filter(x -> x != 200).count();
            assertThat(s.stats().calls("DescribeDBInstanceAttribute", "InternalError")
                    + s.stats().calls("DescribeDBInstanceAttribute", "ServiceUnavailable")).isEqualTo(failures);
            return statuses;
        }
    }
}

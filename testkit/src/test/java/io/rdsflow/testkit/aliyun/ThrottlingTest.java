package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.AK_B;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_B;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static io.rdsflow.testkit.aliyun.Sdk.UID_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.rds20140815.models.DescribeAccountsRequest;
import com.aliyun.tea.TeaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Throttling.User per API per account. */
class ThrottlingTest {

    private OpenApiSimulator sim;

    @BeforeEach
    void start() {
        sim = Sdk.twoAccounts().throttleRps("DescribeDBInstanceAttribute", 2).start();
        sim.rds().registerInstance(UID_A, "rm-throttleaaaaaaaaa1");
        sim.rds().registerInstance(UID_B, "rm-throttlebbbbbbbbb1");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void burstBeyondTheRateIsThrottledPerAccountAndPerAction() throws Exception {
        var a = Sdk.rds(sim, AK_A, SK_A);
        int ok = 0;
        int throttled = 0;
        for (int i = 0; i < 12; i++) {
            try {
                Sdk.describe(a, "rm-throttleaaaaaaaaa1");
                ok++;
            } catch (TeaException e) {
                assertThat(e.getCode()).isEqualTo("Throttling.User");
                assertThat(e.getStatusCode()).isEqualTo(400);
                throttled++;
            }
        }
        assertThat(throttled).isGreaterThanOrEqualTo(6);
        assertThat(ok).isGreaterThanOrEqualTo(2);
        assertThat(sim.stats().throttled("DescribeDBInstanceAttribute")).isEqualTo(throttled);
        assertThat(sim.stats().calls("DescribeDBInstanceAttribute", "Throttling.User")).isEqualTo(throttled);

        // another action of the same account is not limited
        for (int i = 0; i < 10; i++) {
            a.describeAccounts(new DescribeAccountsRequest().setDBInstanceId("rm-throttleaaaaaaaaa1"));
        }
        // another account has its own bucket
        assertThat(Sdk.status(Sdk.rds(sim, AK_B, SK_B), "rm-throttlebbbbbbbbb1")).isEqualTo("Running");

        // lifting the limit at run time
        sim.throttling().clearRate("DescribeDBInstanceAttribute");
        for (int i = 0; i < 10; i++) {
            Sdk.describe(a, "rm-throttleaaaaaaaaa1");
        }
        assertThat(sim.stats().throttled()).isEqualTo(throttled);
    }

    @Test
    void tokenBucketRefillsAtTheRate() throws Exception {
        long[] now = {0};
        TokenBucket bucket = new TokenBucket(10, 2, () -> now[0]);
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
        now[0] += 100_000_000L; // 100 ms = 1 token at 10/s
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
        now[0] += 10_000_000_000L;
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
    }
}

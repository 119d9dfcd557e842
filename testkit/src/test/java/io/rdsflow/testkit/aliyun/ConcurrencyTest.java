package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** 50 concurrent SDK clients. */
class ConcurrencyTest {

    @Test
    void fiftyClientsCreateAndPollConcurrently() throws Exception {
        try (OpenApiSimulator sim = Sdk.twoAccounts().createDelay(Duration.ZERO).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(50);
            try {
                List<Callable<String>> jobs = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String token = "concurrent-" + i;
                    jobs.add(() -> {
                        var rds = Sdk.rds(sim, AK_A, SK_A);
                        String id = rds.createDBInstance(Sdk.createRequest(token)).getBody().getDBInstanceId();
                        for (int k = 0; k < 4; k++) {
                            assertThat(Sdk.status(rds, id)).isEqualTo("Running");
                        }
                        String again = rds.createDBInstance(Sdk.createRequest(token)).getBody().getDBInstanceId();
                        assertThat(again).isEqualTo(id);
                        return id;
                    });
                }
                Set<String> ids = new HashSet<>();
                for (Future<String> f : pool.invokeAll(jobs)) {
                    ids.add(f.get());
                }
                assertThat(ids).hasSize(50);
                assertThat(sim.rds().instancesCreated()).isEqualTo(50);
                assertThat(sim.rds().instanceIds(UID_A)).hasSize(50).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(sim.stats().calls("CreateDBInstance", CallStats.OK)).isEqualTo(100);
                assertThat(sim.stats().calls("DescribeDBInstanceAttribute", CallStats.OK)).isEqualTo(200);
                assertThat(sim.stats().totalCalls()).isEqualTo(300);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}

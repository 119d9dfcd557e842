package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.tea.TeaUnretryableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** stop() and start() again on the same port keeps all state, mid-poll. */
class RestartTest {

    @Test
    void restartOnTheSamePortKeepsState() throws Exception {
        try (OpenApiSimulator sim = Sdk.twoAccounts().createDelay(Duration.ofMillis(800)).start()) {
            int port = sim.port();
            assertThat(port).isPositive();
            var rds = Sdk.rds(sim, AK_A, SK_A);
            String id = rds.createDBInstance(Sdk.createRequest("restart-token")).getBody().getDBInstanceId();
            assertThat(Sdk.status(rds, id)).isEqualTo("Creating");

            sim.stop();
            assertThat(sim.isRunning()).isFalse();
            Throwable down = catchThrowable(() -> Sdk.status(rds, id));
            assertThat(down).isInstanceOf(TeaUnretryableException.class);

            sim.start();
            assertThat(sim.port()).isEqualTo(port);
            String status = Sdk.status(rds, id); // same client, same endpoint
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!status.equals("Running") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                status = Sdk.status(rds, id);
            }
            assertThat(status).isEqualTo("Running");
            assertThat(sim.rds().instanceIds(UID_A)).containsExactly(id);
            assertThat(rds.createDBInstance(Sdk.createRequest("restart-token")).getBody().getDBInstanceId()).isEqualTo(id);
            assertThat(sim.rds().instancesCreated()).isEqualTo(1);
            assertThat(sim.stats().calls("CreateDBInstance", CallStats.OK)).isEqualTo(2);
        }
    }
}

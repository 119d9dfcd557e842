package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.AK_B;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_B;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static io.rdsflow.testkit.aliyun.Sdk.UID_B;
import static io.rdsflow.testkit.aliyun.Sdk.teaError;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.rds20140815.models.CreateAccountRequest;
import com.aliyun.rds20140815.models.CreateDBInstanceRequest;
import com.aliyun.rds20140815.models.CreateDBInstanceResponseBody;
import com.aliyun.rds20140815.models.DeleteDBInstanceRequest;
import com.aliyun.rds20140815.models.DescribeAccountsRequest;
import com.aliyun.rds20140815.models.DescribeDBInstancesRequest;
import com.aliyun.rds20140815.models.DescribeTasksRequest;
import com.aliyun.rds20140815.models.DescribeTasksResponseBody.DescribeTasksResponseBodyItemsTaskProgressInfo;
import com.aliyun.tea.TeaException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Instance life cycle through the real RDS SDK client, on the real clock. */
class RdsInstanceLifecycleTest {

    private OpenApiSimulator sim;
    private com.aliyun.rds20140815.Client rdsA;
    private com.aliyun.rds20140815.Client rdsB;

    @BeforeEach
    void start() {
        sim = Sdk.twoAccounts().createDelay(Duration.ofMillis(600)).deleteDelay(Duration.ofMillis(500)).start();
        rdsA = Sdk.rds(sim, AK_A, SK_A);
        rdsB = Sdk.rds(sim, AK_B, SK_B);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void createGoesFromCreatingToRunningAfterTheDelay() throws Exception {
        long t0 = System.nanoTime();
        CreateDBInstanceResponseBody created = rdsA.createDBInstance(Sdk.createRequest("tok-create-1")).getBody();

        String id = created.getDBInstanceId();
        assertThat(id).matches("rm-[a-z0-9]{17}");
        assertThat(created.getConnectionString()).isEqualTo(id + ".mysql.rds.aliyuncs.com");
        assertThat(created.getPort()).isEqualTo("3306");
        assertThat(created.getOrderId()).matches("\\d{15}");
        assertThat(created.getTaskId()).isNotBlank();
        assertThat(created.getRequestId()).isNotBlank();

        var attr = Sdk.describe(rdsA, id);
        assertThat(attr.getDBInstanceStatus()).isEqualTo("Creating");
        assertThat(attr.getEngine()).isEqualTo("MySQL");
        assertThat(attr.getEngineVersion()).isEqualTo("8.0");
        assertThat(attr.getDBInstanceClass()).isEqualTo("mysql.n2.medium.2c");
        assertThat(attr.getVpcId()).isEqualTo("vpc-bp1test");
        assertThat(attr.getVSwitchId()).isEqualTo("vsw-bp1test");
        assertThat(attr.getZoneId()).isEqualTo("cn-hangzhou-i");
        assertThat(attr.getRegionId()).isEqualTo("cn-hangzhou");
        assertThat(attr.getCategory()).isEqualTo("HighAvailability");
        assertThat(attr.getPort()).isEqualTo("3306");
        assertThat(attr.getDBInstanceStorage()).isEqualTo(100);
        assertThat(attr.getConnectionString()).isEqualTo(created.getConnectionString());
        assertThat(attr.getSlaveZones().getSlaveZone()).extracting(z -> z.getZoneId()).containsExactly("cn-hangzhou-j");

        // a call that needs a Running instance is refused while Creating
        TeaException wrongState = teaError(() -> rdsA.createAccount(new CreateAccountRequest()
                .setDBInstanceId(id).setAccountName("app").setAccountPassword("Passw0rd!x")));
        assertThat(wrongState.getCode()).isEqualTo("IncorrectDBInstanceState");
        assertThat(wrongState.getStatusCode()).isEqualTo(500);

        String status = "Creating";
        while (!status.equals("Running") && System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(100);
            status = Sdk.status(rdsA, id);
            assertThat(status).isIn("Creating", "Running");
        }
        assertThat(status).isEqualTo("Running");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(550));
        assertThat(sim.rds().instanceIds(UID_A)).containsExactly(id);
        assertThat(sim.rds().instancesCreated()).isEqualTo(1);

        var listed = rdsA.describeDBInstances(new DescribeDBInstancesRequest().setRegionId("cn-hangzhou")).getBody();
        assertThat(listed.getTotalRecordCount()).isEqualTo(1);
        assertThat(listed.getItems().getDBInstance().get(0).getDBInstanceId()).isEqualTo(id);
    }

    @Test
    void missingRequiredParametersAreRejected() {
        CreateDBInstanceRequest noEngine = Sdk.createRequest(null).setEngine(null);
        TeaException e = teaError(() -> rdsA.createDBInstance(noEngine));
        assertThat(e.getCode()).isEqualTo("MissingEngine");
        assertThat(e.getStatusCode()).isEqualTo(400);

        TeaException noVpc = teaError(() -> rdsA.createDBInstance(Sdk.createRequest(null).setVPCId(null)));
        assertThat(noVpc.getCode()).isEqualTo("MissingVPCId");

        TeaException badPayType = teaError(() -> rdsA.createDBInstance(Sdk.createRequest(null).setPayType("Free")));
        assertThat(badPayType.getCode()).isEqualTo("InvalidPayType.Malformed");

        TeaException noId = teaError(() -> rdsA.describeDBInstanceAttribute(
                new com.aliyun.rds20140815.models.DescribeDBInstanceAttributeRequest()));
        assertThat(noId.getCode()).isEqualTo("MissingDBInstanceId");
        assertThat(sim.rds().instancesCreated()).isZero();
        assertThat(sim.stats().calls("CreateDBInstance", "MissingEngine")).isEqualTo(1);
    }

    @Test
    void sameClientTokenReturnsSameInstance() throws Exception {
        String first = rdsA.createDBInstance(Sdk.createRequest("idem-token-42")).getBody().getDBInstanceId();
        var again = rdsA.createDBInstance(Sdk.createRequest("idem-token-42")).getBody();
        String other = rdsA.createDBInstance(Sdk.createRequest("idem-token-43")).getBody().getDBInstanceId();

        assertThat(again.getDBInstanceId()).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(sim.rds().instancesCreated()).isEqualTo(2);
        assertThat(sim.stats().calls("CreateDBInstance", CallStats.OK)).isEqualTo(3);
        assertThat(sim.rds().instanceIds(UID_A)).containsExactly(first, other);

        TeaException mismatch = teaError(() ->
                rdsA.createDBInstance(Sdk.createRequest("idem-token-42").setDBInstanceStorage(200)));
        assertThat(mismatch.getCode()).isEqualTo("IdempotentParameterMismatch");

        // tokens are per account: B's same token creates B's own instance
        String ofB = rdsB.createDBInstance(Sdk.createRequest("idem-token-42")).getBody().getDBInstanceId();
        assertThat(ofB).isNotEqualTo(first);
        assertThat(sim.rds().instancesCreated()).isEqualTo(3);
    }

    @Test
    void instancesAreIsolatedPerAccount() throws Exception {
        String id = rdsA.createDBInstance(Sdk.createRequest(null)).getBody().getDBInstanceId();

        TeaException e = teaError(() -> Sdk.describe(rdsB, id));
        assertThat(e.getCode()).isEqualTo("InvalidDBInstanceId.NotFound");
        assertThat(e.getStatusCode()).isEqualTo(404);
        TeaException del = teaError(() -> rdsB.deleteDBInstance(new DeleteDBInstanceRequest().setDBInstanceId(id)));
        assertThat(del.getCode()).isEqualTo("InvalidDBInstanceId.NotFound");

        assertThat(Sdk.describe(rdsA, id).getDBInstanceId()).isEqualTo(id);
        assertThat(sim.rds().instanceIds(UID_A)).containsExactly(id);
        assertThat(sim.rds().instanceIds(UID_B)).isEmpty();
        assertThat(rdsB.describeDBInstances(new DescribeDBInstancesRequest().setRegionId("cn-hangzhou"))
                .getBody().getTotalRecordCount()).isZero();
    }

    @Test
    void deleteShowsDeletingThenTheInstanceIsGone() throws Exception {
        String id = sim.rds().registerInstance(UID_A, "rm-existing0000000001");
        assertThat(Sdk.status(rdsA, id)).isEqualTo("Running");
        assertThat(rdsA.describeAccounts(new DescribeAccountsRequest().setDBInstanceId(id)).getBody()
                .getAccounts().getDBInstanceAccount()).isEmpty();

        rdsA.deleteDBInstance(new DeleteDBInstanceRequest().setDBInstanceId(id));
        assertThat(Sdk.status(rdsA, id)).isEqualTo("Deleting");
        TeaException again = teaError(() -> rdsA.deleteDBInstance(new DeleteDBInstanceRequest().setDBInstanceId(id)));
        assertThat(again.getCode()).isEqualTo("IncorrectDBInstanceState");

        List<DescribeTasksResponseBodyItemsTaskProgressInfo> tasks = deleteTasks(id);
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).getStatus()).isEqualTo("Running");

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!deleteTasks(id).get(0).getStatus().equals("Finished") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(deleteTasks(id).get(0).getStatus()).isEqualTo("Finished");
        assertThat(deleteTasks(id).get(0).getProgress()).isEqualTo("100");

        TeaException gone = teaError(() -> Sdk.describe(rdsA, id));
        assertThat(gone.getCode()).isEqualTo("InvalidDBInstanceId.NotFound");
        assertThat(gone.getStatusCode()).isEqualTo(404);
        assertThat(sim.rds().instanceIds(UID_A)).isEmpty();
        assertThat(sim.rds().instanceStatus(UID_A, id)).isEmpty();
    }

    private List<DescribeTasksResponseBodyItemsTaskProgressInfo> deleteTasks(String id) throws Exception {
        return rdsA.describeTasks(new DescribeTasksRequest().setDBInstanceId(id).setTaskAction("DeleteDBInstance"))
                .getBody().getItems().getTaskProgressInfo();
    }
}

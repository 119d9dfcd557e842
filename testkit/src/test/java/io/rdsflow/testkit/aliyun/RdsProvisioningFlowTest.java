package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static io.rdsflow.testkit.aliyun.Sdk.teaError;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.rds20140815.models.CreateAccountRequest;
import com.aliyun.rds20140815.models.CreateDatabaseRequest;
import com.aliyun.rds20140815.models.DescribeAccountsRequest;
import com.aliyun.rds20140815.models.DescribeBackupPolicyRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceIPArrayListRequest;
import com.aliyun.rds20140815.models.DescribeDatabasesRequest;
import com.aliyun.rds20140815.models.DescribeParametersRequest;
import com.aliyun.rds20140815.models.GrantAccountPrivilegeRequest;
import com.aliyun.rds20140815.models.ModifyBackupPolicyRequest;
import com.aliyun.rds20140815.models.ModifyParameterRequest;
import com.aliyun.rds20140815.models.ModifySecurityIpsRequest;
import com.aliyun.tea.TeaException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Accounts, databases, privileges, whitelists, parameters and backup policy, on a hand-moved clock. */
class RdsProvisioningFlowTest {

    private final ManualClock clock = new ManualClock();
    private OpenApiSimulator sim;
    private com.aliyun.rds20140815.Client rds;
    private String id;

    @BeforeEach
    void start() {
        sim = Sdk.twoAccounts().clock(clock)
                .createDelay(Duration.ofMinutes(5))
                .accountDelay(Duration.ofSeconds(10))
                .databaseDelay(Duration.ofSeconds(20))
                .parameterDelay(Duration.ofSeconds(30))
                .start();
        rds = Sdk.rds(sim, AK_A, SK_A);
        id = sim.rds().registerInstance(UID_A, Map.of("DBInstanceId", "rm-registered00000001",
                "VPCId", "vpc-x", "VSwitchId", "vsw-x", "ZoneId", "cn-hangzhou-k"));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void registeredInstanceIsRunningWithItsAttributes() throws Exception {
        var attr = Sdk.describe(rds, id);
        assertThat(attr.getDBInstanceStatus()).isEqualTo("Running");
        assertThat(attr.getVpcId()).isEqualTo("vpc-x");
        assertThat(attr.getZoneId()).isEqualTo("cn-hangzhou-k");
        assertThat(attr.getInstanceNetworkType()).isEqualTo("VPC");
    }

    @Test
    void accountBecomesAvailableAndGetsPrivilegesOnARunningDatabase() throws Exception {
        rds.createAccount(new CreateAccountRequest().setDBInstanceId(id).setAccountName("app_rw")
                .setAccountPassword("Str0ng!Pass").setAccountType("Normal"));
        rds.createDatabase(new CreateDatabaseRequest().setDBInstanceId(id).setDBName("orders")
                .setCharacterSetName("utf8mb4"));

        assertThat(accountStatus()).isEqualTo("Unavailable");
        assertThat(dbStatus()).isEqualTo("Creating");
        TeaException early = teaError(() -> grant("ReadWrite"));
        assertThat(early.getCode()).isEqualTo("IncorrectAccountStatus");

        clock.advance(Duration.ofSeconds(10));
        assertThat(accountStatus()).isEqualTo("Available");
        assertThat(dbStatus()).isEqualTo("Creating");
        assertThat(teaError(() -> grant("ReadWrite")).getCode()).isEqualTo("IncorrectDBStatus");

        clock.advance(Duration.ofSeconds(10));
        assertThat(dbStatus()).isEqualTo("Running");
        grant("ReadWrite");

        var db = rds.describeDatabases(new DescribeDatabasesRequest().setDBInstanceId(id)).getBody()
                .getDatabases().getDatabase().get(0);
        assertThat(db.getCharacterSetName()).isEqualTo("utf8mb4");
        assertThat(db.getAccounts().getAccountPrivilegeInfo()).singleElement().satisfies(p -> {
            assertThat(p.getAccount()).isEqualTo("app_rw");
            assertThat(p.getAccountPrivilege()).isEqualTo("ReadWrite");
        });
        var account = rds.describeAccounts(new DescribeAccountsRequest().setDBInstanceId(id)).getBody()
                .getAccounts().getDBInstanceAccount().get(0);
        assertThat(account.getDatabasePrivileges().getDatabasePrivilege()).singleElement()
                .satisfies(p -> assertThat(p.getDBName()).isEqualTo("orders"));

        TeaException dup = teaError(() -> rds.createAccount(new CreateAccountRequest().setDBInstanceId(id)
                .setAccountName("app_rw").setAccountPassword("Str0ng!Pass")));
        assertThat(dup.getCode()).isEqualTo("InvalidAccountName.Duplicate");
        TeaException weak = teaError(() -> rds.createAccount(new CreateAccountRequest().setDBInstanceId(id)
                .setAccountName("other").setAccountPassword("weak")));
        assertThat(weak.getCode()).isEqualTo("InvalidAccountPassword.Malformed");
        TeaException noDb = teaError(() -> rds.grantAccountPrivilege(new GrantAccountPrivilegeRequest()
                .setDBInstanceId(id).setAccountName("app_rw").setDBName("nope").setAccountPrivilege("ReadOnly")));
        assertThat(noDb.getCode()).isEqualTo("InvalidDBName.NotFound");
        assertThat(sim.rds().instanceSnapshot(UID_A, id).orElseThrow().get("Accounts").toString())
                .contains("app_rw", "orders=ReadWrite");
    }

    @Test
    void securityIpsCoverAppendDelete() throws Exception {
        assertThat(whitelist()).isEqualTo(Map.of("default", "127.0.0.1"));
        rds.modifySecurityIps(new ModifySecurityIpsRequest().setDBInstanceId(id).setSecurityIps("10.1.0.0/16"));
        rds.modifySecurityIps(new ModifySecurityIpsRequest().setDBInstanceId(id)
                .setSecurityIps("192.168.1.10,192.168.1.11").setModifyMode("Append"));
        rds.modifySecurityIps(new ModifySecurityIpsRequest().setDBInstanceId(id)
                .setSecurityIps("192.168.1.10").setModifyMode("Delete"));
        rds.modifySecurityIps(new ModifySecurityIpsRequest().setDBInstanceId(id)
                .setSecurityIps("172.16.0.1").setDBInstanceIPArrayName("app"));
        assertThat(whitelist()).isEqualTo(Map.of("default", "10.1.0.0/16,192.168.1.11", "app", "172.16.0.1"));

        TeaException bad = teaError(() -> rds.modifySecurityIps(new ModifySecurityIpsRequest().setDBInstanceId(id)
                .setSecurityIps("10.0.0.300")));
        assertThat(bad.getCode()).isEqualTo("InvalidSecurityIPList.Malformed");
    }

    @Test
    void parameterShowsAfterTheDelayAndRestartMakesTheInstanceReboot() throws Exception {
        assertThat(runningParameter("max_connections")).isEqualTo("2000");
        rds.modifyParameter(new ModifyParameterRequest().setDBInstanceId(id)
                .setParameters("{\"max_connections\":\"4000\",\"long_query_time\":\"2\"}").setForcerestart(true));

        assertThat(runningParameter("max_connections")).isEqualTo("2000");
        assertThat(Sdk.status(rds, id)).isEqualTo("Rebooting");
        TeaException busy = teaError(() -> rds.modifyBackupPolicy(backupPolicy()));
        assertThat(busy.getCode()).isEqualTo("IncorrectDBInstanceState");

        clock.advance(Duration.ofSeconds(30));
        assertThat(runningParameter("max_connections")).isEqualTo("4000");
        assertThat(runningParameter("long_query_time")).isEqualTo("2");
        assertThat(Sdk.status(rds, id)).isEqualTo("Running");
        assertThat(Sdk.describe(rds, id).getMaxConnections()).isEqualTo(4000);

        TeaException notJson = teaError(() -> rds.modifyParameter(new ModifyParameterRequest()
                .setDBInstanceId(id).setParameters("max_connections=1")));
        assertThat(notJson.getCode()).isEqualTo("InvalidParameters.Format");
    }

    @Test
    void backupPolicyIsStored() throws Exception {
        var before = rds.describeBackupPolicy(new DescribeBackupPolicyRequest().setDBInstanceId(id)).getBody();
        assertThat(before.getBackupRetentionPeriod()).isEqualTo(7);

        var modified = rds.modifyBackupPolicy(backupPolicy()).getBody();
        assertThat(modified.getDBInstanceID()).isEqualTo(id);

        var after = rds.describeBackupPolicy(new DescribeBackupPolicyRequest().setDBInstanceId(id)).getBody();
        assertThat(after.getPreferredBackupTime()).isEqualTo("02:00Z-03:00Z");
        assertThat(after.getPreferredBackupPeriod()).isEqualTo("Monday,Wednesday");
        assertThat(after.getBackupRetentionPeriod()).isEqualTo(14);

        TeaException badTime = teaError(() -> rds.modifyBackupPolicy(backupPolicy().setPreferredBackupTime("02:00Z-05:00Z")));
        assertThat(badTime.getCode()).isEqualTo("InvalidPreferredBackupTime.Malformed");
        TeaException oneDay = teaError(() -> rds.modifyBackupPolicy(backupPolicy().setPreferredBackupPeriod("Monday")));
        assertThat(oneDay.getCode()).isEqualTo("InvalidPreferredBackupPeriod.Malformed");
    }

    @Test
    void wrongStateErrorIsConfigurable() {
        sim.rds().setWrongStateError("OperationDenied.DBInstanceStatus", 400);
        sim.rds().setInstanceStatus(UID_A, id, "Stopped");
        TeaException e = teaError(() -> rds.createDatabase(new CreateDatabaseRequest().setDBInstanceId(id)
                .setDBName("x1").setCharacterSetName("utf8")));
        assertThat(e.getCode()).isEqualTo("OperationDenied.DBInstanceStatus");
        assertThat(e.getStatusCode()).isEqualTo(400);
    }

    private ModifyBackupPolicyRequest backupPolicy() {
        return new ModifyBackupPolicyRequest().setDBInstanceId(id).setPreferredBackupTime("02:00Z-03:00Z")
                .setPreferredBackupPeriod("Wednesday,Monday").setBackupRetentionPeriod("14");
    }

    private void grant(String privilege) throws Exception {
        rds.grantAccountPrivilege(new GrantAccountPrivilegeRequest().setDBInstanceId(id).setAccountName("app_rw")
                .setDBName("orders").setAccountPrivilege(privilege));
    }

    private String accountStatus() throws Exception {
        return rds.describeAccounts(new DescribeAccountsRequest().setDBInstanceId(id).setAccountName("app_rw"))
                .getBody().getAccounts().getDBInstanceAccount().get(0).getAccountStatus();
    }

    private String dbStatus() throws Exception {
        return rds.describeDatabases(new DescribeDatabasesRequest().setDBInstanceId(id).setDBName("orders"))
                .getBody().getDatabases().getDatabase().get(0).getDBStatus();
    }

    private Map<String, String> whitelist() throws Exception {
        return rds.describeDBInstanceIPArrayList(new DescribeDBInstanceIPArrayListRequest().setDBInstanceId(id))
                .getBody().getItems().getDBInstanceIPArray().stream()
                .collect(Collectors.toMap(a -> a.getDBInstanceIPArrayName(), a -> a.getSecurityIPList()));
    }

    private String runningParameter(String name) throws Exception {
        return rds.describeParameters(new DescribeParametersRequest().setDBInstanceId(id)).getBody()
                .getRunningParameters().getDBInstanceParameter().stream()
                .filter(p -> p.getParameterName().equals(name)).findFirst().orElseThrow().getParameterValue();
    }
}

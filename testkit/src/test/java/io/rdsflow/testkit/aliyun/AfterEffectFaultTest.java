package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static io.rdsflow.testkit.aliyun.Sdk.teaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.rds20140815.models.CreateAccountRequest;
import com.aliyun.rds20140815.models.CreateDatabaseRequest;
import com.aliyun.rds20140815.models.DeleteDBInstanceRequest;
import com.aliyun.rds20140815.models.DescribeAccountsRequest;
import com.aliyun.rds20140815.models.DescribeBackupPolicyRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceAttributeRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceIPArrayListRequest;
import com.aliyun.rds20140815.models.DescribeDBInstancesRequest;
import com.aliyun.rds20140815.models.DescribeDatabasesRequest;
import com.aliyun.rds20140815.models.DescribeParametersRequest;
import com.aliyun.rds20140815.models.GrantAccountPrivilegeRequest;
import com.aliyun.rds20140815.models.ModifyBackupPolicyRequest;
import com.aliyun.rds20140815.models.ModifyDBInstanceSpecRequest;
import com.aliyun.rds20140815.models.ModifyParameterRequest;
import com.aliyun.rds20140815.models.ModifySecurityIpsRequest;
import com.aliyun.rds20140815.models.RestartDBInstanceRequest;
import com.aliyun.rds20140815.models.SwitchDBInstanceHARequest;
import com.aliyun.rds20140815.models.UpgradeDBInstanceKernelVersionRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaUnretryableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults that strike after a call took effect: the change is made in the simulated cloud and the real
 * SDK client sees a 5xx or a dropped connection instead of the answer; a following Describe shows the
 * change. Planned ones (one-shot, per action) and random ones (seeded, mutating calls only).
 */
class AfterEffectFaultTest {

    private static final String ID = "rm-aftereffectaaaaaa1";
    private static final String PASSWORD = "Str0ng!Pass";
    private OpenApiSimulator sim;
    private com.aliyun.rds20140815.Client rds;

    @BeforeEach
    void start() {
        sim = Sdk.twoAccounts().allDelays(Duration.ZERO).deleteDelay(Duration.ofSeconds(30)).start();
        sim.rds().registerInstance(UID_A, ID);
        rds = Sdk.rds(sim, AK_A, SK_A);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void everyMutatingCallTakesEffectAndLosesItsAnswerToA5xx() throws Exception {
        for (String action : SimulatedRds.MUTATING_ACTIONS) {
            sim.faults().failNextAfterApplying(action, 1);
        }

        TeaException e = teaError(() -> rds.createDBInstance(Sdk.createRequest("after-effect-1")));
        assertThat(e.getStatusCode()).isEqualTo(500);
        assertThat(e.getCode()).isEqualTo("InternalError");
        var listed = rds.describeDBInstances(new DescribeDBInstancesRequest().setRegionId("cn-hangzhou")
                .setSearchKey("rdsflow-test")).getBody().getItems().getDBInstance();
        assertThat(listed).hasSize(1);
        String created = listed.get(0).getDBInstanceId();

        assertLost(() -> rds.createAccount(new CreateAccountRequest().setDBInstanceId(ID).setAccountName("app")
                .setAccountPassword(PASSWORD).setAccountDescription("mine")));
        var accounts = rds.describeAccounts(new DescribeAccountsRequest().setDBInstanceId(ID)).getBody()
                .getAccounts().getDBInstanceAccount();
        assertThat(accounts).extracting(a -> a.getAccountName() + "/" + a.getAccountDescription()).containsExactly("app/mine");

        assertLost(() -> rds.createDatabase(new CreateDatabaseRequest().setDBInstanceId(ID).setDBName("orders")
                .setCharacterSetName("utf8mb4").setDBDescription("mine")));
        var dbs = rds.describeDatabases(new DescribeDatabasesRequest().setDBInstanceId(ID)).getBody()
                .getDatabases().getDatabase();
        assertThat(dbs).extracting(d -> d.getDBName() + "/" + d.getDBDescription()).containsExactly("orders/mine");

        assertLost(() -> rds.grantAccountPrivilege(new GrantAccountPrivilegeRequest().setDBInstanceId(ID)
                .setAccountName("app").setDBName("orders").setAccountPrivilege("ReadWrite")));
        var privileges = rds.describeAccounts(new DescribeAccountsRequest().setDBInstanceId(ID).setAccountName("app"))
                .getBody().getAccounts().getDBInstanceAccount().get(0).getDatabasePrivileges().getDatabasePrivilege();
        assertThat(privileges).extracting(p -> p.getDBName() + "=" + p.getAccountPrivilege()).containsExactly("orders=ReadWrite");

        assertLost(() -> rds.modifySecurityIps(new ModifySecurityIpsRequest().setDBInstanceId(ID)
                .setSecurityIps("10.9.0.0/16").setModifyMode("Cover")));
        var arrays = rds.describeDBInstanceIPArrayList(new DescribeDBInstanceIPArrayListRequest().setDBInstanceId(ID))
                .getBody().getItems().getDBInstanceIPArray();
        assertThat(arrays).extracting(a -> a.getDBInstanceIPArrayName() + "=" + a.getSecurityIPList())
                .containsExactly("default=10.9.0.0/16");

        assertLost(() -> rds.modifyParameter(new ModifyParameterRequest().setDBInstanceId(ID)
                .setParameters("{\"max_connections\":\"4321\"}")));
        var running = rds.describeParameters(new DescribeParametersRequest().setDBInstanceId(ID)).getBody()
                .getRunningParameters().getDBInstanceParameter().stream()
                .collect(Collectors.toMap(p -> p.getParameterName(), p -> p.getParameterValue()));
        assertThat(running).containsEntry("max_connections", "4321");

        assertLost(() -> rds.modifyBackupPolicy(new ModifyBackupPolicyRequest().setDBInstanceId(ID)
                .setPreferredBackupTime("03:00Z-04:00Z").setPreferredBackupPeriod("Monday,Friday")
                .setBackupRetentionPeriod("9")));
        var policy = rds.describeBackupPolicy(new DescribeBackupPolicyRequest().setDBInstanceId(ID)).getBody();
        assertThat(policy.getPreferredBackupTime()).isEqualTo("03:00Z-04:00Z");
        assertThat(policy.getBackupRetentionPeriod()).isEqualTo(9);

        String standby = sim.rds().haNodes(UID_A, ID).entrySet().stream().filter(n -> n.getValue().equals("Slave"))
                .findFirst().orElseThrow().getKey();
        assertLost(() -> rds.switchDBInstanceHA(new SwitchDBInstanceHARequest().setDBInstanceId(ID).setNodeId(standby)));
        assertThat(sim.rds().haNodes(UID_A, ID)).containsEntry(standby, "Master");

        assertLost(() -> rds.restartDBInstance(new RestartDBInstanceRequest().setDBInstanceId(ID)
                .setClientToken("after-effect-restart")));
        assertThat(Sdk.status(rds, ID)).isEqualTo("Running"); // restarted already: no restart delay here

        assertLost(() -> rds.modifyDBInstanceSpec(new ModifyDBInstanceSpecRequest().setDBInstanceId(ID)
                .setDBInstanceClass("mysql.n2.large.2c")));
        assertThat(rds.describeDBInstanceAttribute(new DescribeDBInstanceAttributeRequest().setDBInstanceId(ID)).getBody()
                .getItems().getDBInstanceAttribute().get(0).getDBInstanceClass()).isEqualTo("mysql.n2.large.2c");

        assertLost(() -> rds.upgradeDBInstanceKernelVersion(new UpgradeDBInstanceKernelVersionRequest().setDBInstanceId(ID)));
        assertThat(rds.describeDBInstanceAttribute(new DescribeDBInstanceAttributeRequest().setDBInstanceId(ID)).getBody()
                .getItems().getDBInstanceAttribute().get(0).getCurrentKernelVersion()).isEqualTo("rds_20250630");

        assertLost(() -> rds.createBackup(new com.aliyun.rds20140815.models.CreateBackupRequest().setDBInstanceId(ID)
                .setBackupMethod("Physical").setBackupType("FullBackup")));
        String backupId = null;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (backupId == null && System.nanoTime() < deadline) {
            var sets = rds.describeBackups(new com.aliyun.rds20140815.models.DescribeBackupsRequest().setDBInstanceId(ID))
                    .getBody().getItems().getBackup();
            assertThat(sets).as("finished sets: at most the one the lost CreateBackup started").hasSizeLessThanOrEqualTo(1);
            backupId = sets.isEmpty() || !"Success".equals(sets.get(0).getBackupStatus()) ? null : sets.get(0).getBackupId();
            Thread.sleep(50);
        }
        assertThat(backupId).as("the backup set finished").isNotNull();
        String fromBackup = backupId;
        assertLost(() -> rds.cloneDBInstance(new com.aliyun.rds20140815.models.CloneDBInstanceRequest().setDBInstanceId(ID)
                .setPayType("Postpaid").setBackupId(fromBackup)));
        assertThat(sim.rds().instancesCreated()).as("the lost CloneDBInstance made its clone").isEqualTo(2);

        assertLost(() -> rds.deleteDBInstance(new DeleteDBInstanceRequest().setDBInstanceId(ID)));
        assertThat(Sdk.status(rds, ID)).isEqualTo("Deleting");

        for (String action : SimulatedRds.MUTATING_ACTIONS) {
            assertThat(sim.faults().pending(action)).as(action).isZero();
            assertThat(sim.stats().lostAnswers(action)).as(action).isEqualTo(1);
        }
        assertThat(sim.faults().afterEffectCount()).isEqualTo(SimulatedRds.MUTATING_ACTIONS.size());
        assertThat(sim.rds().instancesCreated()).isEqualTo(2);
        assertThat(sim.rds().effects(UID_A, created)).containsExactly(Map.entry("CreateDBInstance", 1));
        Map<String, Integer> effects = new java.util.HashMap<>(Map.of(
                "CreateAccount:app", 1, "CreateDatabase:orders", 1, "GrantAccountPrivilege:app", 1,
                "ModifySecurityIps:default", 1, "ModifyParameter:max_connections", 1, "ModifyBackupPolicy", 1,
                "SwitchDBInstanceHA", 1, "RestartDBInstance", 1, "DeleteDBInstance", 1));
        effects.putAll(Map.of("ModifyDBInstanceSpec", 1, "UpgradeDBInstanceKernelVersion", 1, "CreateBackup", 1));
        assertThat(sim.rds().effects(UID_A, ID)).containsExactlyInAnyOrderEntriesOf(effects);
    }

    @Test
    void aDroppedConnectionAfterTheEffectIsAnIOExceptionForTheSdk() throws Exception {
        // the first call of this simulator opens a new connection: OkHttp does not re-send on it
        sim.faults().dropNextAfterApplying("CreateAccount", 1);
        Throwable t = catchThrowable(() -> rds.createAccount(new CreateAccountRequest().setDBInstanceId(ID)
                .setAccountName("dropped").setAccountPassword(PASSWORD)));
        assertThat(t).isInstanceOf(TeaUnretryableException.class).hasRootCauseInstanceOf(IOException.class);
        assertThat(sim.stats().calls("CreateAccount", CallStats.DROPPED)).isEqualTo(1);
        assertThat(sim.stats().lostAnswers("CreateAccount")).isEqualTo(1);
        var accounts = rds.describeAccounts(new DescribeAccountsRequest().setDBInstanceId(ID)).getBody()
                .getAccounts().getDBInstanceAccount();
        assertThat(accounts).extracting(a -> a.getAccountName()).containsExactly("dropped");

        // a retry now is refused as what it is: the account exists
        TeaException again = teaError(() -> rds.createAccount(new CreateAccountRequest().setDBInstanceId(ID)
                .setAccountName("dropped").setAccountPassword(PASSWORD)));
        assertThat(again.getCode()).isEqualTo("InvalidAccountName.Duplicate");
        assertThat(sim.rds().effects(UID_A, ID)).containsExactly(Map.entry("CreateAccount:dropped", 1));
    }

    @Test
    void aCallTheServiceRefusesDoesNotUseUpAPlannedAfterEffectFault() throws Exception {
        sim.faults().failNextAfterApplying("CreateDatabase", 1);
        TeaException refused = teaError(() -> rds.createDatabase(new CreateDatabaseRequest().setDBInstanceId(ID)
                .setDBName("Bad Name").setCharacterSetName("utf8mb4")));
        assertThat(refused.getCode()).isEqualTo("InvalidDBName.Malformed");
        assertThat(sim.faults().pending("CreateDatabase")).isEqualTo(1);

        assertLost(() -> rds.createDatabase(new CreateDatabaseRequest().setDBInstanceId(ID).setDBName("good")
                .setCharacterSetName("utf8mb4")));
        assertThat(sim.faults().pending("CreateDatabase")).isZero();
        assertThat(sim.rds().effects(UID_A, ID)).containsExactly(Map.entry("CreateDatabase:good", 1));
    }

    @Test
    void aRepeatedChangeIsCountedTwiceAndAClientTokenReplayIsNot() throws Exception {
        for (int i = 0; i < 2; i++) {
            rds.modifySecurityIps(new ModifySecurityIpsRequest().setDBInstanceId(ID).setSecurityIps("10.1.0.0/16"));
            rds.modifyParameter(new ModifyParameterRequest().setDBInstanceId(ID)
                    .setParameters("{\"wait_timeout\":\"60\",\"max_connections\":\"100\"}"));
            rds.createDBInstance(Sdk.createRequest("replayed"));
        }
        assertThat(sim.rds().effects(UID_A, ID)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ModifySecurityIps:default", 2, "ModifyParameter:max_connections,wait_timeout", 2));
        assertThat(sim.rds().instancesCreated()).isEqualTo(1);

        HttpResponse<String> view = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + sim.endpoint() + "/_sim/instances")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.body()).contains("\"DBInstanceId\":\"" + ID + "\"")
                .contains("\"ModifySecurityIps:default\":2").contains("\"CreateDBInstance\":1")
                .contains("\"DBInstanceDescription\":\"rdsflow-test\"");
    }

    @Test
    void randomAfterEffectFaultsStrikeOnlyMutatingCallsAreSeededAndEveryStruckCallTookEffect() throws Exception {
        List<String> run1 = randomRun(11);
        List<String> run2 = randomRun(11);
        assertThat(run1).isEqualTo(run2);
        assertThat(run1).isNotEqualTo(randomRun(12));
        // p = 0.4 over 60 mutating calls, half of them drops
        assertThat(run1.stream().filter(s -> !s.equals("OK")).count()).isBetween(12L, 36L);
        assertThat(Set.copyOf(run1)).contains("OK", "InternalError/ServiceUnavailable", "dropped");
    }

    /**
     * 60 ModifySecurityIps calls (each adds one entry) and 60 Describe calls with 40 % random after-effect
     * faults; returns the outcome of each ModifySecurityIps call.
     */
    private List<String> randomRun(long seed) throws Exception {
        try (OpenApiSimulator s = Sdk.twoAccounts().afterEffectFaultRate(0.4, 0.5, seed).start()) {
            s.rds().registerInstance(UID_A, ID);
            var client = Sdk.rds(s, AK_A, SK_A);
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int n = i;
                Throwable t = catchThrowable(() -> client.modifySecurityIps(new ModifySecurityIpsRequest()
                        .setDBInstanceId(ID).setSecurityIps("10.0." + n + ".1").setModifyMode("Append")));
                if (t == null) {
                    outcomes.add("OK");
                } else if (t instanceof TeaException te && (te.getStatusCode() == 500 || te.getStatusCode() == 503)) {
                    outcomes.add("InternalError/ServiceUnavailable");
                } else if (t instanceof TeaUnretryableException
                        || (t instanceof TeaException te && "SignatureNonceUsed".equals(te.getCode()))) {
                    // a drop on a reused connection is re-sent by OkHttp with the same nonce
                    outcomes.add("dropped");
                } else {
                    throw new AssertionError("unexpected " + t, t);
                }
                assertThat(Sdk.status(client, ID)).isEqualTo("Running"); // never struck: not mutating
            }
            String ips = client.describeDBInstanceIPArrayList(new DescribeDBInstanceIPArrayListRequest()
                    .setDBInstanceId(ID)).getBody().getItems().getDBInstanceIPArray().get(0).getSecurityIPList();
            for (int i = 0; i < 60; i++) {
                assertThat(ips.split(",")).as("call %d took effect", i).contains("10.0." + i + ".1");
            }
            long lost = outcomes.stream().filter(o -> !o.equals("OK")).count();
            assertThat(s.stats().lostAnswers("ModifySecurityIps")).isEqualTo(lost);
            assertThat(s.faults().afterEffectCount()).isEqualTo(lost);
            assertThat(s.stats().lostAnswers("DescribeDBInstanceAttribute")).isZero();
            assertThat(s.stats().calls("DescribeDBInstanceAttribute", CallStats.OK)).isEqualTo(60);
            assertThat(s.rds().effects(UID_A, ID)).containsEntry("ModifySecurityIps:default", 60);
            return outcomes;
        }
    }

    private static void assertLost(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        TeaException e = teaError(call);
        assertThat(e.getStatusCode()).isEqualTo(500);
        assertThat(e.getCode()).isEqualTo("InternalError");
    }
}

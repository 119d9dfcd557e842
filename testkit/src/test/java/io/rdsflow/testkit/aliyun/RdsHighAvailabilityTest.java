package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static io.rdsflow.testkit.aliyun.Sdk.teaError;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.rds20140815.models.DescribeDBInstanceHAConfigRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceHAConfigResponseBody;
import com.aliyun.rds20140815.models.RestartDBInstanceRequest;
import com.aliyun.rds20140815.models.SwitchDBInstanceHARequest;
import com.aliyun.tea.TeaException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DescribeDBInstanceHAConfig, SwitchDBInstanceHA and RestartDBInstance through the real SDK. */
class RdsHighAvailabilityTest {
    private static final String HA = "rm-hainstanceaaaaaaa1";
    private static final String BASIC = "rm-basicinstanceaaaa1";
    private OpenApiSimulator sim;
    private com.aliyun.rds20140815.Client rds;

    @BeforeEach
    void start() {
        sim = Sdk.twoAccounts().switchDelay(Duration.ofMillis(300)).restartDelay(Duration.ofMillis(300)).start();
        sim.rds().registerInstance(UID_A, Map.of("DBInstanceId", HA, "Category", "HighAvailability",
                "ZoneId", "cn-hangzhou-i", "ZoneIdSlave1", "cn-hangzhou-j"));
        sim.rds().registerInstance(UID_A, Map.of("DBInstanceId", BASIC, "Category", "Basic"));
        rds = Sdk.rds(sim, AK_A, SK_A);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void aHighAvailabilityInstanceSwitchesToItsSlaveAfterHASwitching() throws Exception {
        DescribeDBInstanceHAConfigResponseBody before = haConfig(HA);
        assertThat(before.getDBInstanceId()).isEqualTo(HA);
        assertThat(before.getHAMode()).isEqualTo("RPO");
        Map<String, String> roles = roles(before);
        assertThat(roles).hasSize(2).containsValues("Master", "Slave");
        String master = key(roles, "Master");
        String slave = key(roles, "Slave");
        var slaveInfo = before.getHostInstanceInfos().getNodeInfo().stream().filter(n -> n.getNodeId().equals(slave))
                .findFirst().orElseThrow();
        assertThat(slaveInfo.getZoneId()).isEqualTo("cn-hangzhou-j");
        assertThat(slaveInfo.getSyncStatus()).isEqualTo("Synchronized");
        assertThat(slaveInfo.getRegionId()).isEqualTo("cn-hangzhou");

        TeaException toMaster = teaError(() -> rds.switchDBInstanceHA(new SwitchDBInstanceHARequest()
                .setDBInstanceId(HA).setNodeId(master)));
        assertThat(toMaster.getCode()).isEqualTo("InvalidNodeId.Malformed");
        assertThat(teaError(() -> rds.switchDBInstanceHA(new SwitchDBInstanceHARequest().setDBInstanceId(HA)))
                .getCode()).isEqualTo("MissingNodeId");

        assertThat(rds.switchDBInstanceHA(new SwitchDBInstanceHARequest().setDBInstanceId(HA).setNodeId(slave)
                .setForce("No")).getBody().getRequestId()).isNotBlank();
        assertThat(Sdk.status(rds, HA)).isEqualTo("HASwitching");
        assertThat(roles(haConfig(HA))).containsEntry(master, "Master");
        TeaException busy = teaError(() -> rds.switchDBInstanceHA(new SwitchDBInstanceHARequest()
                .setDBInstanceId(HA).setNodeId(slave)));
        assertThat(busy.getCode()).isEqualTo("IncorrectDBInstanceState");
        assertThat(busy.getStatusCode()).isEqualTo(500);

        Thread.sleep(400);
        assertThat(Sdk.status(rds, HA)).isEqualTo("Running");
        assertThat(roles(haConfig(HA))).containsEntry(slave, "Master").containsEntry(master, "Slave");
        assertThat(sim.rds().effects(UID_A, HA)).containsEntry("SwitchDBInstanceHA", 1);
    }

    @Test
    void aBasicInstanceHasOneNodeAndCannotSwitch() throws Exception {
        Map<String, String> roles = roles(haConfig(BASIC));
        assertThat(roles).hasSize(1).containsValue("Master");
        TeaException e = teaError(() -> rds.switchDBInstanceHA(new SwitchDBInstanceHARequest()
                .setDBInstanceId(BASIC).setNodeId(key(roles, "Master"))));
        assertThat(e.getCode()).isEqualTo("OperationDenied.DBInstanceType");
        assertThat(e.getStatusCode()).isEqualTo(400);
        assertThat(sim.rds().effects(UID_A, BASIC)).doesNotContainKey("SwitchDBInstanceHA");
    }

    @Test
    void restartIsRebootingThenRunningAndAClientTokenReplayRestartsNothing() throws Exception {
        rds.restartDBInstance(new RestartDBInstanceRequest().setDBInstanceId(BASIC).setClientToken("restart-1"));
        assertThat(Sdk.status(rds, BASIC)).isEqualTo("Rebooting");
        rds.restartDBInstance(new RestartDBInstanceRequest().setDBInstanceId(BASIC).setClientToken("restart-1"));
        TeaException busy = teaError(() -> rds.restartDBInstance(new RestartDBInstanceRequest()
                .setDBInstanceId(BASIC).setClientToken("restart-2")));
        assertThat(busy.getCode()).isEqualTo("IncorrectDBInstanceState");
        Thread.sleep(400);
        assertThat(Sdk.status(rds, BASIC)).isEqualTo("Running");
        assertThat(sim.rds().effects(UID_A, BASIC)).containsEntry("RestartDBInstance", 1);
        assertThat(sim.stats().calls("RestartDBInstance")).isEqualTo(3);
        assertThat(teaError(() -> rds.restartDBInstance(new RestartDBInstanceRequest().setDBInstanceId("rm-nope")))
                .getCode()).isEqualTo("InvalidDBInstanceId.NotFound");
    }

    private DescribeDBInstanceHAConfigResponseBody haConfig(String id) throws Exception {
        return rds.describeDBInstanceHAConfig(new DescribeDBInstanceHAConfigRequest().setDBInstanceId(id)).getBody();
    }

    private static Map<String, String> roles(DescribeDBInstanceHAConfigResponseBody body) {
        Map<String, String> out = new LinkedHashMap<>();
        body.getHostInstanceInfos().getNodeInfo().forEach(n -> out.put(n.getNodeId(), n.getNodeType()));
        return out;
    }

    private static String key(Map<String, String> roles, String type) {
        return roles.entrySet().stream().filter(e -> e.getValue().equals(type)).findFirst().orElseThrow().getKey();
    }
}

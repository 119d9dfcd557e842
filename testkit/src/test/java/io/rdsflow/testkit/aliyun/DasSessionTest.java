package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.AK_B;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_B;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static io.rdsflow.testkit.aliyun.Sdk.teaError;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.tea.TeaException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DAS GetMySQLAllSessionAsync through the DAS SDK client's generic callApi. */
class DasSessionTest {

    private static final String ID = "rm-dassessions000001";
    private OpenApiSimulator sim;
    private com.aliyun.das20200116.Client das;

    @BeforeEach
    void start() {
        sim = Sdk.twoAccounts().start();
        sim.rds().registerInstance(UID_A, ID);
        sim.das().setSessions(ID, List.of(
                DasSession.of(101, "app", "10.0.0.5:51234", "orders", "Query", 12, "executing", "select sleep(12)"),
                DasSession.of(102, "app", "10.0.0.6:40000", "orders", "Query", 3, "Sending data", "select 1"),
                DasSession.sleeping(103, "report", "10.0.0.5:51300", "stats", 600)));
        das = Sdk.das(sim, AK_A, SK_A);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void resultIdRoundTripReturnsTheSessionsSetByTheTest() throws Exception {
        Map<String, Object> first = Sdk.sessions(das, ID, null);
        assertThat(first.get("Success")).isEqualTo(true);
        Map<String, Object> data = (Map<String, Object>) first.get("Data");
        assertThat(data.get("IsFinish")).isEqualTo(false);
        assertThat(data.get("State")).isEqualTo("RUNNING");
        String resultId = (String) data.get("ResultId");
        assertThat(resultId).isNotBlank();

        Map<String, Object> done = (Map<String, Object>) Sdk.sessions(das, ID, resultId).get("Data");
        assertThat(done.get("IsFinish")).isEqualTo(true);
        assertThat(done.get("State")).isEqualTo("SUCCESS");
        assertThat(done.get("Fail")).isEqualTo(false);
        Map<String, Object> sessions = (Map<String, Object>) done.get("SessionData");
        assertThat(((Number) sessions.get("TotalSessionCount")).intValue()).isEqualTo(3);
        assertThat(((Number) sessions.get("ActiveSessionCount")).intValue()).isEqualTo(2);
        assertThat(((Number) sessions.get("MaxActiveTime")).intValue()).isEqualTo(12);
        List<Map<String, Object>> list = (List<Map<String, Object>>) sessions.get("SessionList");
        assertThat(list).extracting(m -> m.get("User")).containsExactly("app", "app", "report");
        assertThat(list.get(0).get("SqlText")).isEqualTo("select sleep(12)");
        List<Map<String, Object>> byUser = (List<Map<String, Object>>) sessions.get("UserStats");
        assertThat(byUser).extracting(m -> m.get("Key")).containsExactly("app", "report");
        assertThat(((Number) byUser.get(0).get("ActiveCount")).intValue()).isEqualTo(2);
        List<Map<String, Object>> byClient = (List<Map<String, Object>>) sessions.get("ClientStats");
        assertThat(byClient).extracting(m -> m.get("Key")).containsExactly("10.0.0.5", "10.0.0.6");

        // the result belongs to account A
        var dasB = Sdk.das(sim, AK_B, SK_B);
        sim.rds().registerInstance(Sdk.UID_B, ID);
        TeaException foreign = teaError(() -> Sdk.sessions(dasB, ID, resultId));
        assertThat(foreign.getCode()).isEqualTo("InvalidParams");
        assertThat(sim.stats().calls("GetMySQLAllSessionAsync", CallStats.OK)).isEqualTo(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void failedResultIsReportedInsideA200() throws Exception {
        sim.das().failNextResults(ID, 1);
        String resultId = (String) ((Map<String, Object>) Sdk.sessions(das, ID, null).get("Data")).get("ResultId");
        Map<String, Object> data = (Map<String, Object>) Sdk.sessions(das, ID, resultId).get("Data");
        assertThat(data.get("State")).isEqualTo("FAIL");
        assertThat(data.get("Fail")).isEqualTo(true);
        assertThat(data.get("SessionData")).isNull();
    }

    @Test
    void dasCallsAreThrottledPerAccount() throws Exception {
        try (OpenApiSimulator slow = Sdk.twoAccounts().dasThrottleRps(1).start()) {
            slow.rds().registerInstance(UID_A, ID);
            var client = Sdk.das(slow, AK_A, SK_A);
            Sdk.sessions(client, ID, null);
            TeaException e = teaError(() -> Sdk.sessions(client, ID, null));
            assertThat(e.getCode()).isEqualTo("Throttling.User");
            assertThat(slow.stats().throttled("GetMySQLAllSessionAsync")).isEqualTo(1);
        }
    }

    @Test
    void unknownInstanceOrResultIdIsAnError() {
        assertThat(teaError(() -> Sdk.sessions(das, "rm-doesnotexist00001", null)).getCode()).isEqualTo("InvalidParams");
        TeaException unknown = teaError(() -> Sdk.sessions(das, ID, "nosuchresult"));
        assertThat(unknown.getCode()).isEqualTo("InvalidParams");
        assertThat(unknown.getStatusCode()).isEqualTo(400);
    }
}

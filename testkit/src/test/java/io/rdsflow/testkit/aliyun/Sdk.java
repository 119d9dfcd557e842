package io.rdsflow.testkit.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.rds20140815.models.CreateDBInstanceRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceAttributeRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceAttributeResponseBody.DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test helpers around the real Alibaba Cloud SDK clients pointed at a simulator. */
final class Sdk {

    static final String UID_A = "1111111111111111";
    static final String AK_A = "LTAI5tAAAAAAAAAAAAAAAAAA";
    static final String SK_A = "secret-of-account-a";
    static final String UID_B = "2222222222222222";
    static final String AK_B = "LTAI5tBBBBBBBBBBBBBBBBBB";
    static final String SK_B = "secret-of-account-b";

    private Sdk() {
    }

    /** A builder with accounts A and B, short delays, no throttling. */
    static OpenApiSimulator.Builder twoAccounts() {
        return OpenApiSimulator.builder()
                .account(UID_A, AK_A, SK_A)
                .account(UID_B, AK_B, SK_B);
    }

    static Config config(OpenApiSimulator sim, String ak, String sk) {
        return new Config().setAccessKeyId(ak).setAccessKeySecret(sk)
                .setEndpoint("127.0.0.1:" + sim.port()).setProtocol("HTTP")
                .setReadTimeout(10_000).setConnectTimeout(5_000);
    }

    static com.aliyun.rds20140815.Client rds(OpenApiSimulator sim, String ak, String sk) {
        try {
            return new com.aliyun.rds20140815.Client(config(sim, ak, sk));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static com.aliyun.das20200116.Client das(OpenApiSimulator sim, String ak, String sk) {
        try {
            return new com.aliyun.das20200116.Client(config(sim, ak, sk));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A complete, valid VPC MySQL create request. */
    static CreateDBInstanceRequest createRequest(String clientToken) {
        return new CreateDBInstanceRequest()
                .setRegionId("cn-hangzhou")
                .setZoneId("cn-hangzhou-i")
                .setZoneIdSlave1("cn-hangzhou-j")
                .setEngine("MySQL")
                .setEngineVersion("8.0")
                .setDBInstanceClass("mysql.n2.medium.2c")
                .setDBInstanceStorage(100)
                .setDBInstanceStorageType("cloud_essd")
                .setDBInstanceNetType("Intranet")
                .setInstanceNetworkType("VPC")
                .setVPCId("vpc-bp1test")
                .setVSwitchId("vsw-bp1test")
                .setCategory("HighAvailability")
                .setSecurityIPList("10.0.0.0/8")
                .setPayType("Postpaid")
                .setDBInstanceDescription("rdsflow-test")
                .setClientToken(clientToken);
    }

    static DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute describe(
            com.aliyun.rds20140815.Client client, String id) throws Exception {
        var body = client.describeDBInstanceAttribute(new DescribeDBInstanceAttributeRequest().setDBInstanceId(id))
                .getBody();
        assertThat(body.getItems().getDBInstanceAttribute()).hasSize(1);
        return body.getItems().getDBInstanceAttribute().get(0);
    }

    static String status(com.aliyun.rds20140815.Client client, String id) throws Exception {
        return describe(client, id).getDBInstanceStatus();
    }

    /** Runs the call and returns the TeaException it must throw. */
    static TeaException teaError(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("expected a TeaException").isInstanceOf(TeaException.class);
        return (TeaException) t;
    }

    /** DAS GetMySQLAllSessionAsync through the generic callApi (das20200116 2.1.12 has no typed method). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sessions(com.aliyun.das20200116.Client das, String instanceId, String resultId)
            throws Exception {
        Params params = new Params()
                .setAction("GetMySQLAllSessionAsync").setVersion("2020-01-16")
                .setProtocol("HTTP").setMethod("POST").setPathname("/")
                .setAuthType("AK").setStyle("RPC").setReqBodyType("formData").setBodyType("json");
        Map<String, String> query = new HashMap<>();
        query.put("InstanceId", instanceId);
        if (resultId != null) {
            query.put("ResultId", resultId);
        }
        Map<String, ?> response = das.callApi(params, new OpenApiRequest().setQuery(query), new RuntimeOptions());
        assertThat(response.get("statusCode")).isEqualTo(200);
        return (Map<String, Object>) response.get("body");
    }
}

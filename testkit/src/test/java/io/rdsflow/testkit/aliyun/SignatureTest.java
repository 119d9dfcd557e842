package io.rdsflow.testkit.aliyun;

import static io.rdsflow.testkit.aliyun.Sdk.AK_A;
import static io.rdsflow.testkit.aliyun.Sdk.SK_A;
import static io.rdsflow.testkit.aliyun.Sdk.UID_A;
import static io.rdsflow.testkit.aliyun.Sdk.teaError;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.tea.TeaException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ACS3-HMAC-SHA256 verification, seen through the real SDK and through an independent signer. */
class SignatureTest {

    private OpenApiSimulator sim;
    private String id;

    @BeforeEach
    void start() {
        sim = Sdk.twoAccounts().start();
        id = sim.rds().registerInstance(UID_A, "rm-signaturetest00001");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void correctlySignedSdkCallSucceeds() throws Exception {
        assertThat(Sdk.status(Sdk.rds(sim, AK_A, SK_A), id)).isEqualTo("Running");
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatch() {
        var client = Sdk.rds(sim, AK_A, "not-the-secret");
        TeaException e = teaError(() -> Sdk.describe(client, id));
        assertThat(e.getCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.getStatusCode()).isEqualTo(400);
        assertThat(sim.stats().calls("DescribeDBInstanceAttribute", "SignatureDoesNotMatch")).isEqualTo(1);
    }

    @Test
    void unknownAccessKeyIsInvalidAccessKeyIdNotFound() {
        var client = Sdk.rds(sim, "LTAI5tUNKNOWNKEY", SK_A);
        TeaException e = teaError(() -> Sdk.describe(client, id));
        assertThat(e.getCode()).isEqualTo("InvalidAccessKeyId.NotFound");
        assertThat(e.getStatusCode()).isEqualTo(404);
    }

    @Test
    void removedAccountIsRejected() throws Exception {
        var client = Sdk.rds(sim, AK_A, SK_A);
        Sdk.describe(client, id);
        sim.removeAccount(AK_A);
        assertThat(teaError(() -> Sdk.describe(client, id)).getCode()).isEqualTo("InvalidAccessKeyId.NotFound");
    }

    @Test
    void dateFarFromServerTimeIsExpired() {
        try (OpenApiSimulator skewed = Sdk.twoAccounts()
                .signatureClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20))).start()) {
            skewed.rds().registerInstance(UID_A, id);
            TeaException e = teaError(() -> Sdk.describe(Sdk.rds(skewed, AK_A, SK_A), id));
            assertThat(e.getCode()).isEqualTo("InvalidTimeStamp.Expired");
            assertThat(e.getStatusCode()).isEqualTo(400);
        }
    }

    @Test
    void independentSignerAgreesAndReusedNonceIsRejected() throws Exception {
        RawAcs3Client raw = new RawAcs3Client(sim, AK_A, SK_A);
        Map<String, String> query = Map.of("DBInstanceId", id, "Odd Name*~", "a b+c/é");
        String nonce = RawAcs3Client.newNonce();

        HttpResponse<String> first = raw.call("DescribeDBInstanceAttribute", "2014-08-15", query, nonce, Instant.now());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(first.body());
        assertThat(body.at("/Items/DBInstanceAttribute/0/DBInstanceId").asText()).isEqualTo(id);

        HttpResponse<String> replay = raw.call("DescribeDBInstanceAttribute", "2014-08-15", query, nonce, Instant.now());
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(replay.body()).get("Code").asText()).isEqualTo("SignatureNonceUsed");
        assertThat(Json.MAPPER.readTree(replay.body()).get("RequestId").asText()).isNotBlank();
        assertThat(Json.MAPPER.readTree(replay.body()).get("HostId").asText()).isNotBlank();

        HttpResponse<String> old = raw.call("DescribeDBInstanceAttribute", "2014-08-15", query,
                RawAcs3Client.newNonce(), Instant.now().minus(Duration.ofMinutes(16)));
        assertThat(Json.MAPPER.readTree(old.body()).get("Code").asText()).isEqualTo("InvalidTimeStamp.Expired");
    }

    @Test
    void tamperedQueryIsSignatureDoesNotMatch() throws Exception {
        RawAcs3Client raw = new RawAcs3Client(sim, AK_A, SK_A);
        HttpResponse<String> r = raw.call("DescribeDBInstanceAttribute", "2014-08-15",
                Map.of("DBInstanceId", id), Map.of("DBInstanceId", "rm-someoneelse000001"),
                RawAcs3Client.newNonce(), Instant.now());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.body()).get("Code").asText()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void missingAuthorizationIsIncompleteSignature() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + sim.port() + "/?DBInstanceId=" + id))
                .header("x-acs-action", "DescribeDBInstanceAttribute").header("x-acs-version", "2014-08-15")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.body()).get("Code").asText()).isEqualTo("IncompleteSignature");
    }
}

package io.rdsflow.testkit.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aliyun.tea.TeaRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The verifier against signatures made by the SDK's own openapiutil code, without HTTP. */
class Acs3SignatureVerifierTest {

    private static final SimulatedAccount ACCOUNT = new SimulatedAccount("42", "AKID", "s3cr3t");
    private final Acs3SignatureVerifier verifier = new Acs3SignatureVerifier(
            ak -> ak.equals("AKID") ? ACCOUNT : null, Clock.systemUTC(), Duration.ofMinutes(15));

    @Test
    void acceptsWhatOpenapiutilSignsIncludingAwkwardCharacters() throws Exception {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("Tag.1.Key", "env");
        query.put("Parameters", "{\"max_connections\":\"2000\"}");
        query.put("Weird *~ key", "x y+z/ä*~");
        query.put("Empty", "");
        Map<String, String> headers = new HashMap<>();
        headers.put("host", "127.0.0.1:1234");
        headers.put("x-acs-action", "ModifyParameter");
        headers.put("x-acs-version", "2014-08-15");
        headers.put("x-acs-date", com.aliyun.openapiutil.Client.getTimestamp());
        headers.put("x-acs-signature-nonce", "abc123");
        headers.put("accept", "application/json");
        String payload = Acs3SignatureVerifier.hex(Acs3SignatureVerifier.sha256(new byte[0]));
        headers.put("x-acs-content-sha256", payload);
        TeaRequest req = new TeaRequest();
        req.method = "POST";
        req.pathname = "/";
        req.query = query;
        req.headers = headers;
        String auth = com.aliyun.openapiutil.Client.getAuthorization(req, "ACS3-HMAC-SHA256", payload, "AKID", "s3cr3t");
        headers.put("authorization", auth);
        // the URL the way tea's composeUrl builds it
        String rawQuery = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));

        assertThat(verifier.verify("POST", "/", rawQuery, headers, new byte[0])).isEqualTo(ACCOUNT);

        headers.put("x-acs-signature-nonce", "other");
        OpenApiError e = catchThrowableOfType(OpenApiError.class,
                () -> verifier.verify("POST", "/", rawQuery, headers, new byte[0]));
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void bodyHashMustMatch() {
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", "ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host;x-acs-date;x-acs-signature-nonce,Signature=00");
        headers.put("x-acs-content-sha256", Acs3SignatureVerifier.hex(Acs3SignatureVerifier.sha256(new byte[0])));
        OpenApiError e = catchThrowableOfType(OpenApiError.class,
                () -> verifier.verify("POST", "/", "", headers, "a=b".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.httpStatus()).isEqualTo(400);
    }

    @Test
    void canonicalQueryEncodesLikeTheSdk() {
        assertThat(Acs3SignatureVerifier.canonicalQuery("b=2&a=x+y&c=%2A%7E"))
                .isEqualTo("a=x%20y&b=2&c=%2A~");
        assertThat(Acs3SignatureVerifier.canonicalQuery(null)).isEmpty();
    }
}

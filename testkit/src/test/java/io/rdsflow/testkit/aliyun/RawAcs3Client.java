package io.rdsflow.testkit.aliyun;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An independent ACS3-HMAC-SHA256 signer on java.net.http, for requests the SDK cannot make
 * (fixed nonce, tampered query). Written from the algorithm description, not from the SDK.
 */
final class RawAcs3Client {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private final HttpClient http = HttpClient.newHttpClient();
    private final String hostPort;
    private final String ak;
    private final String sk;

    RawAcs3Client(OpenApiSimulator sim, String ak, String sk) {
        this.hostPort = "127.0.0.1:" + sim.port();
        this.ak = ak;
        this.sk = sk;
    }

    static String newNonce() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    HttpResponse<String> call(String action, String version, Map<String, String> query, String nonce, Instant date)
            throws Exception {
        return call(action, version, query, query, nonce, date);
    }

    /** Signs {@code signedQuery} but sends {@code sentQuery}. */
    HttpResponse<String> call(String action, String version, Map<String, String> signedQuery,
                              Map<String, String> sentQuery, String nonce, Instant date) throws Exception {
        String emptyHash = Acs3SignatureVerifier.hex(Acs3SignatureVerifier.sha256(new byte[0]));
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", hostPort);
        headers.put("x-acs-action", action);
        headers.put("x-acs-version", version);
        headers.put("x-acs-date", DATE.format(date));
        headers.put("x-acs-signature-nonce", nonce);
        headers.put("x-acs-content-sha256", emptyHash);
        String canonicalHeaders = headers.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue() + "\n")
                .collect(Collectors.joining());
        String signedHeaders = String.join(";", headers.keySet());
        String canonicalQuery = new TreeMap<>(signedQuery).entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        String canonicalRequest = "POST\n/\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + emptyHash;
        String stringToSign = "ACS3-HMAC-SHA256\n"
                + Acs3SignatureVerifier.hex(Acs3SignatureVerifier.sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        String signature = Acs3SignatureVerifier.hex(Acs3SignatureVerifier.hmacSha256(sk, stringToSign));

        String url = "http://" + hostPort + "/?" + sentQuery.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "ACS3-HMAC-SHA256 Credential=" + ak + ",SignedHeaders=" + signedHeaders
                        + ",Signature=" + signature)
                .header("accept", "application/json");
        headers.forEach((k, v) -> {
            if (!k.equals("host")) {
                b.header(k, v);
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}

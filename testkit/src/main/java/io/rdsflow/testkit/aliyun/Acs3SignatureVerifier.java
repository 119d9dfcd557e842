package io.rdsflow.testkit.aliyun;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the {@code ACS3-HMAC-SHA256} signature the Alibaba Cloud Tea SDK puts on every
 * request (tea-openapi 0.2.8 / openapiutil 0.2.1), the way the API gateway does:
 * <ol>
 *   <li>{@code Authorization: ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex}
 *       — malformed/missing gives 400 {@code IncompleteSignature};</li>
 *   <li>unknown AccessKey id gives 404 {@code InvalidAccessKeyId.NotFound};</li>
 *   <li>{@code x-acs-content-sha256} must be hex(sha256(body)), and the recomputed signature
 *       over the canonical request must match — else 400 {@code SignatureDoesNotMatch};</li>
 *   <li>{@code x-acs-date} more than the allowed skew (15 min) away gives 400
 *       {@code InvalidTimeStamp.Expired} (unparseable: {@code InvalidTimeStamp.Format});</li>
 *   <li>an {@code x-acs-signature-nonce} already seen for this AccessKey within the replay
 *       window gives 400 {@code SignatureNonceUsed}.</li>
 * </ol>
 * Canonical request: {@code METHOD\n URI\n canonicalQuery\n canonicalHeaders\n signedHeaders\n hashedPayload};
 * string to sign: {@code "ACS3-HMAC-SHA256\n" + hex(sha256(canonicalRequest))}.
 */
public final class Acs3SignatureVerifier {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";
    private static final DateTimeFormatter ACS_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Function<String, SimulatedAccount> accounts;
    private final Clock clock;
    private final Duration maxSkew;
    /** accessKeyId + '\n' + nonce -> epoch millis after which it may be forgotten. */
    private final Map<String, Long> seenNonces = new ConcurrentHashMap<>();
    private volatile long nextPurgeMillis;

    /**
     * @param accounts lookup of an AccessKey id in the account table (null when unknown)
     * @param clock    the "real" time the request date is compared with
     * @param maxSkew  allowed distance between {@code x-acs-date} and the clock (15 min at Alibaba)
     */
    public Acs3SignatureVerifier(Function<String, SimulatedAccount> accounts, Clock clock, Duration maxSkew) {
        this.accounts = accounts;
        this.clock = clock;
        this.maxSkew = maxSkew;
    }

    /**
     * Checks one request and returns the account that signed it.
     *
     * @param headers request headers, names lower-cased, first value of each
     * @param rawQuery the undecoded query string (may be null)
     * @throws OpenApiError when the request is rejected
     */
    public SimulatedAccount verify(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                   byte[] body) {
        String authorization = headers.get("authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new OpenApiError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: no Authorization header.");
        }
        ParsedAuthorization auth = parseAuthorization(authorization.trim());
        SimulatedAccount account = accounts.apply(auth.accessKeyId);
        if (account == null) {
            throw new OpenApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }

        String hashedPayload = hex(sha256(body));
        String declaredHash = headers.get("x-acs-content-sha256");
        if (declaredHash == null || !declaredHash.trim().equalsIgnoreCase(hashedPayload)) {
            throw new OpenApiError(400, "SignatureDoesNotMatch",
                    "x-acs-content-sha256 does not match the request body.");
        }
        for (String required : List.of("x-acs-date", "x-acs-signature-nonce")) {
            if (!auth.signedHeaders.contains(required) || headers.get(required) == null) {
                throw new OpenApiError(400, "IncompleteSignature", "The header " + required + " must be present and signed.");
            }
        }

        String canonicalRequest = canonicalRequest(method, rawPath, rawQuery, headers, auth.signedHeaders,
                auth.signedHeadersRaw, hashedPayload);
        String stringToSign = ALGORITHM + "\n" + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        String expected = hex(hmacSha256(account.accessKeySecret(), stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new OpenApiError(400, "SignatureDoesNotMatch",
                    "Specified signature does not match our calculation. server string to sign is:" + stringToSign);
        }

        Instant now = clock.instant();
        String date = headers.get("x-acs-date").trim();
        Instant requestTime;
        try {
            requestTime = Instant.from(ACS_DATE.parse(date));
        } catch (DateTimeParseException e) {
            throw new OpenApiError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted: " + date);
        }
        if (Duration.between(requestTime, now).abs().compareTo(maxSkew) > 0) {
            throw new OpenApiError(400, "InvalidTimeStamp.Expired",
                    "Specified time stamp or date value is expired: " + date + " (server time " + ACS_DATE.format(now) + ")");
        }

        String nonce = headers.get("x-acs-signature-nonce").trim();
        long nowMillis = now.toEpochMilli();
        long forgetAt = nowMillis + 2 * maxSkew.toMillis();
        if (seenNonces.putIfAbsent(account.accessKeyId() + "\n" + nonce, forgetAt) != null) {
            throw new OpenApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already: " + nonce);
        }
        purgeNonces(nowMillis);
        return account;
    }

    /**
     * Forgets a nonce again, for requests that are to look as if they never reached the
     * gateway (a connection dropped before processing), so a transparent client re-send passes.
     */
    public void forgetNonce(String accessKeyId, String nonce) {
        if (nonce != null) {
            seenNonces.remove(accessKeyId + "\n" + nonce.trim());
        }
    }

    private void purgeNonces(long nowMillis) {
        if (nowMillis < nextPurgeMillis) {
            return;
        }
        nextPurgeMillis = nowMillis + 60_000;
        seenNonces.values().removeIf(forgetAt -> forgetAt < nowMillis);
    }

    /** Number of nonces currently remembered (for tests). */
    int rememberedNonces() {
        return seenNonces.size();
    }

    // ---- canonical request ---------------------------------------------------------------

    static String canonicalRequest(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                   Set<String> signedHeaders, String signedHeadersRaw, String hashedPayload) {
        String uri = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : new java.util.TreeSet<>(signedHeaders)) {
            String value = headers.get(name);
            if (value == null) {
                throw new OpenApiError(400, "SignatureDoesNotMatch", "Signed header " + name + " is not in the request.");
            }
            canonicalHeaders.append(name).append(':').append(value.trim()).append('\n');
        }
        return method.toUpperCase(Locale.ROOT) + "\n" + uri + "\n" + canonicalQuery(rawQuery) + "\n"
                + canonicalHeaders + "\n" + signedHeadersRaw + "\n" + hashedPayload;
    }

    /** Form-decodes the raw query, sorts the keys and re-encodes both sides with {@link #percentEncode}. */
    static String canonicalQuery(String rawQuery) {
        Map<String, String> decoded = decodeForm(rawQuery);
        if (decoded.isEmpty()) {
            return "";
        }
        String[] keys = decoded.keySet().toArray(new String[0]);
        Arrays.sort(keys); // String order, like openapiutil's Arrays.sort
        List<String> parts = new ArrayList<>(keys.length);
        for (String k : keys) {
            String v = decoded.get(k);
            parts.add(percentEncode(k) + "=" + (v == null || v.isEmpty() ? "" : percentEncode(v)));
        }
        return String.join("&", parts);
    }

    /** Decodes {@code application/x-www-form-urlencoded} text; later duplicates win. */
    public static Map<String, String> decodeForm(String raw) {
        Map<String, String> out = new TreeMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** URLEncoder then {@code +}→{@code %20}, {@code *}→{@code %2A}, {@code %7E}→{@code ~}. */
    public static String percentEncode(String value) {
        try {
            return URLEncoder.encode(value, "UTF-8").replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- Authorization header ------------------------------------------------------------

    private record ParsedAuthorization(String accessKeyId, Set<String> signedHeaders, String signedHeadersRaw,
                                       String signature) {
    }

    private static ParsedAuthorization parseAuthorization(String value) {
        if (!value.startsWith(ALGORITHM + " ")) {
            throw new OpenApiError(400, "IncompleteSignature",
                    "The request signature does not conform to Aliyun standards: only " + ALGORITHM + " is supported.");
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : value.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = fields.get("Credential");
        String signedHeaders = fields.get("SignedHeaders");
        String signature = fields.get("Signature");
        if (credential == null || credential.isEmpty() || signedHeaders == null || signature == null
                || signature.isEmpty()) {
            throw new OpenApiError(400, "IncompleteSignature",
                    "The request signature does not conform to Aliyun standards: Credential, SignedHeaders and Signature are required.");
        }
        Set<String> names = new java.util.LinkedHashSet<>();
        for (String n : signedHeaders.split(";")) {
            if (!n.isBlank()) {
                names.add(n.trim().toLowerCase(Locale.ROOT));
            }
        }
        return new ParsedAuthorization(credential, names, signedHeaders, signature);
    }

    // ---- crypto --------------------------------------------------------------------------

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmacSha256(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] raw) {
        StringBuilder sb = new StringBuilder(raw.length * 2);
        for (byte b : raw) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}

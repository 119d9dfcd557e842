package io.rdsflow.testkit.aliyun;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One authenticated API call as the simulated services see it: who (uid), which action and
 * version, and the merged request parameters (query string plus form body), with typed
 * accessors that raise the OpenAPI parameter errors.
 */
public final class ApiCall {

    private final String action;
    private final String version;
    private final String uid;
    private final String accessKeyId;
    private final String requestId;
    private final Map<String, String> params;

    public ApiCall(String action, String version, String uid, String accessKeyId, String requestId,
                   Map<String, String> params) {
        this.action = action;
        this.version = version;
        this.uid = uid;
        this.accessKeyId = accessKeyId;
        this.requestId = requestId;
        this.params = Collections.unmodifiableMap(new TreeMap<>(params));
    }

    public String action() {
        return action;
    }

    public String version() {
        return version;
    }

    public String uid() {
        return uid;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String requestId() {
        return requestId;
    }

    /** All parameters, sorted by name. */
    public Map<String, String> params() {
        return params;
    }

    /** The value, or null when absent or empty. */
    public String get(String name) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public String get(String name, String defaultValue) {
        String v = get(name);
        return v == null ? defaultValue : v;
    }

    /** The value; {@code Missing<name>} (400) when absent or blank. */
    public String required(String name) {
        String v = get(name);
        if (v == null || v.isBlank()) {
            throw OpenApiError.missing(name);
        }
        return v;
    }

    public int getInt(String name, int defaultValue) {
        String v = get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw OpenApiError.malformed(name, v);
        }
    }

    public int requiredInt(String name) {
        String v = required(name);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw OpenApiError.malformed(name, v);
        }
    }

    public boolean getBool(String name, boolean defaultValue) {
        String v = get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw OpenApiError.malformed(name, v);
    }

    /** Splits a comma-separated value, trimming and dropping empty items. */
    public static List<String> splitCsv(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return action + "(" + version + ") uid=" + uid + " " + params;
    }
}

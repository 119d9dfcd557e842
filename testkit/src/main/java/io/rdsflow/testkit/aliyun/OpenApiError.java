package io.rdsflow.testkit.aliyun;

/**
 * An Alibaba Cloud OpenAPI error: the {@code Code} of the JSON error body plus the HTTP status
 * it is sent with. Thrown by the simulated services and turned into a 4xx/5xx response
 * ({@code {"RequestId","HostId","Code","Message","Recommend"}}) by {@link OpenApiSimulator}.
 * The SDK surfaces it as {@code TeaException} with {@code getCode()} = code and
 * {@code getStatusCode()} = httpStatus.
 */
public final class OpenApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String code;

    public OpenApiError(int httpStatus, String code, String message) {
        super(message, null, false, false);
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("an OpenAPI error needs a 4xx/5xx status, got " + httpStatus);
        }
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return "OpenApiError[" + httpStatus + " " + code + ": " + getMessage() + "]";
    }

    // ---- common errors -------------------------------------------------------------------

    /** {@code Missing<Name>} 400, e.g. {@code MissingDBInstanceId}. */
    public static OpenApiError missing(String parameter) {
        return new OpenApiError(400, "Missing" + parameter,
                "The input parameter \"" + parameter + "\" that is mandatory for processing this request is not supplied.");
    }

    /** {@code MissingParameter} 400 (generic form). */
    public static OpenApiError missingParameter(String detail) {
        return new OpenApiError(400, "MissingParameter", detail);
    }

    /** {@code Invalid<Name>.Malformed} 400. */
    public static OpenApiError malformed(String parameter, String value) {
        return new OpenApiError(400, "Invalid" + parameter + ".Malformed",
                "Specified parameter " + parameter + " is not valid: " + value);
    }

    public static OpenApiError internalError() {
        return new OpenApiError(500, "InternalError",
                "The request processing has failed due to some unknown error, exception or failure.");
    }

    public static OpenApiError serviceUnavailable() {
        return new OpenApiError(503, "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.");
    }

    public static OpenApiError throttling(String action) {
        return new OpenApiError(400, "Throttling.User",
                "Request was denied due to user flow control (" + action + ").");
    }

    public static OpenApiError instanceNotFound(String instanceId) {
        return new OpenApiError(404, "InvalidDBInstanceId.NotFound",
                "Specified instance does not exist or not support: " + instanceId);
    }
}

package io.rdsflow.activities.aliyun;

/**
 * A failed OpenAPI call, with the cloud's error code and message. {@code retryable}: throttling, 5xx,
 * a wrong instance state, a reused nonce or a network error, which waiting can fix. {@code ambiguous}:
 * the request may have taken effect although no success was seen (5xx, lost answer), so what it would
 * have created must be looked up, never assumed absent. The message never holds request parameters, so
 * never a secret.
 */
public final class CloudError extends RuntimeException {
  private final String api;
  private final String code;
  private final int httpStatus;
  private final boolean retryable;
  private final boolean ambiguous;

  public CloudError(String api, String code, String cloudMessage, int httpStatus, String requestId, boolean retryable,
      boolean ambiguous) {
    this(code + ": " + cloudMessage + " (" + api + (httpStatus > 0 ? ", HTTP " + httpStatus : "")
        + (requestId == null || requestId.isBlank() ? "" : ", RequestId " + requestId) + ")",
        api, code, httpStatus, retryable, ambiguous);
  }

  private CloudError(String message, String api, String code, int httpStatus, boolean retryable, boolean ambiguous) {
    super(message);
    this.api = api;
    this.code = code;
    this.httpStatus = httpStatus;
    this.retryable = retryable;
    this.ambiguous = ambiguous;
  }

  /** The same error, marked as possibly applied because an earlier try of the same call may have been. */
  public CloudError asAmbiguous() {
    if (ambiguous) {
      return this;
    }
    CloudError e = new CloudError(getMessage(), api, code, httpStatus, retryable, true);
    e.setStackTrace(getStackTrace());
    return e;
  }

  public String api() {
    return api;
  }

  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean ambiguous() {
    return ambiguous;
  }

  /** {@code InvalidDBInstanceId.NotFound} and the like: the resource is not there (for this account). */
  public boolean notFound() {
    return code.endsWith(".NotFound") && !code.startsWith("InvalidAccessKeyId");
  }

  /** {@code InvalidAccountName.Duplicate} and the like: the thing to create exists already. */
  public boolean duplicate() {
    return code.endsWith(".Duplicate");
  }
}

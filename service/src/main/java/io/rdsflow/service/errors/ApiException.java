package io.rdsflow.service.errors;

/** An error the API reports as {@code {"code","message"}} with an HTTP status. */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** 422: a field has a bad value; the message names the field. */
  public static ApiException invalid(String field, String problem) {
    return new ApiException(422, "invalid_field", field + ": " + problem);
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not_found", what + " not found");
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}

package io.rdsflow.service.errors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error body of the API. */
public record ApiError(String code, String message) {
  public static Response response(int status, String code, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(code, message)).build();
  }
}

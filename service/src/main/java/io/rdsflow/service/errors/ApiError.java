package io.rdsflow.service.errors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one error body of the API. Its message may quote what the client sent, so it is cut to
 * {@link #MAX_MESSAGE} characters and anything but printable ASCII is replaced by '?': a hostile value
 * is never echoed whole, nor with control, bidirectional or look-alike characters.
 */
public record ApiError(String code, String message) {
  public static final int MAX_MESSAGE = 300;

  public static Response response(int status, String code, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(code, safe(message))).build();
  }

  static String safe(String message) {
    if (message == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(message.length(), MAX_MESSAGE + 3));
    for (int i = 0; i < message.length() && b.length() < MAX_MESSAGE; i++) {
      char c = message.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (message.length() > MAX_MESSAGE) {
      b.append("...");
    }
    return b.toString();
  }
}

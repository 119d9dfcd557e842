package io.rdsflow.service.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every exception that reaches Jersey into {@link ApiError}; nothing else leaks out. */
public final class ErrorMappers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

  private ErrorMappers() {}

  public static Object[] all() {
    return new Object[] {new Api(), new Json(), new Web(), new Conflict(), new Unexpected()};
  }

  static final class Api implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
      return ApiError.response(e.status(), e.code(), e.getMessage());
    }
  }

  static final class Json implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
      if (e instanceof UnrecognizedPropertyException u) {
        return ApiError.response(422, "unknown_field", path(u) + ": unknown field");
      }
      if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
        JsonMappingException m = (JsonMappingException) e;
        String field = path(m);
        return ApiError.response(422, "invalid_field", (field.isEmpty() ? "body" : field) + ": wrong type or format");
      }
      // the parser's own message quotes the offending input: say where, not what
      var at = e.getLocation();
      return ApiError.response(400, "malformed_json", "request body is not valid JSON"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }

    private static String path(JsonMappingException e) {
      return e.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining(".")).replace(".[", "[");
    }
  }

  static final class Web implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      int status = e.getResponse().getStatus();
      String code = switch (status) {
        case 401 -> "unauthorized";
        case 403 -> "forbidden";
        case 404 -> "not_found";
        case 405 -> "method_not_allowed";
        case 406 -> "not_acceptable";
        case 415 -> "unsupported_media_type";
        default -> status >= 500 ? "internal" : "bad_request";
      };
      String message = status == 403 ? "this user's role may not make this call" : e.getMessage();
      return ApiError.response(status, code, message);
    }
  }

  /**
   * A unique key of the metadata database refused a write that raced another request: the same live
   * instance name (V5's {@code uk_instance_live_name}) is the request's mistake, anything else a conflict.
   */
  static final class Conflict implements ExceptionMapper<UnableToExecuteStatementException> {
    @Override
    public Response toResponse(UnableToExecuteStatementException e) {
      if (e.getCause() instanceof SQLIntegrityConstraintViolationException c) {
        if (String.valueOf(c.getMessage()).contains("uk_instance_live_name")) {
          return ApiError.response(422, "invalid_field", "name: an instance with this name exists already");
        }
        return ApiError.response(409, "conflict", "a concurrent request changed the same record; retry");
      }
      return new Unexpected().toResponse(e);
    }
  }

  /** The client stopped sending mid-body: Jetty's idle timeout ({@code idleTimeout}) or an early end of stream. */
  static boolean incompleteBody(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.io.EOFException
          || t.getClass().getName().equals("org.eclipse.jetty.io.EofException")) {
        return true;
      }
    }
    return false;
  }

  static final class Unexpected implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      if (incompleteBody(e)) {
        return ApiError.response(400, "incomplete_body", "the request body ended before its Content-Length, or stalled");
      }
      String id = UUID.randomUUID().toString().substring(0, 8);
      LOG.error("Unexpected error {}", id, e);
      return ApiError.response(500, "internal", "internal error " + id + "; see the service log");
    }
  }
}

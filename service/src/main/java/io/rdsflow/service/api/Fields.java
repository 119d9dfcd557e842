package io.rdsflow.service.api;

import io.rdsflow.service.errors.ApiException;
import java.util.regex.Pattern;

/** Field checks shared by the request types; each failure names the field. */
public final class Fields {
  private Fields() {}

  public static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiException.invalid(field, "is required");
    }
    return value;
  }

  public static String matches(String field, String value, Pattern pattern, String shape) {
    required(field, value);
    if (!pattern.matcher(value).matches()) {
      throw ApiException.invalid(field, "must be " + shape);
    }
    return value;
  }

  public static String optionalMax(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw ApiException.invalid(field, "must be at most " + max + " characters");
    }
    if (value != null && value.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.invalid(field, "must not contain control characters");
    }
    return value;
  }
}

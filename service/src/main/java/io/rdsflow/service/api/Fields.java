package io.rdsflow.service.api;

import io.rdsflow.service.errors.ApiException;
import java.util.Arrays;
import java.util.List;
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

  /**
   * The one of {@code allowed} that {@code value} names by its wire string (the domain enums'
   * {@code toString()}); otherwise a 422 listing the allowed wire strings ("must be local or aliyun").
   * Request records keep such fields as strings and convert here, so a wrong value is this 422 and not
   * a JSON binding error.
   */
  @SafeVarargs
  public static <E extends Enum<E>> E oneOf(String field, String value, E... allowed) {
    for (E e : allowed) {
      if (e.toString().equals(value)) {
        return e;
      }
    }
    List<String> names = Arrays.stream(allowed).map(Object::toString).toList();
    String last = names.get(names.size() - 1);
    throw ApiException.invalid(field, "must be " + (names.size() == 1 ? last
        : String.join(", ", names.subList(0, names.size() - 1)) + " or " + last));
  }

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,62}");

  /** Free-form instance labels: at most 20, Prometheus-safe names, values of at most 128 characters. */
  public static void labels(java.util.Map<String, String> labels) {
    if (labels == null) {
      return;
    }
    if (labels.size() > 20) {
      throw ApiException.invalid("labels", "at most 20 labels");
    }
    labels.forEach((k, v) -> {
      if (k == null || !LABEL_NAME.matcher(k).matches()) {
        throw ApiException.invalid("labels." + k, "label names are letters, digits and '_', starting with a letter or '_'");
      }
      optionalMax("labels." + k, v, 128);
    });
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

package io.rdsflow.activities.local;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The server parameters a request may set, with their type and range, and the template every
 * instance starts from. Values are normalised (sizes to bytes, switches to ON/OFF) so that the
 * value written to my.cnf is the one the running server reports.
 */
public final class ParameterCatalog {
  private record Spec(String type, long min, long max, Set<String> choices) {}

  private static final Map<String, Spec> SETTABLE = new LinkedHashMap<>();

  static {
    integer("max_connections", 10, 100_000);
    size("innodb_buffer_pool_size", 8L << 20, 256L << 30);
    size("max_allowed_packet", 1L << 20, 1L << 30);
    size("innodb_log_file_size", 4L << 20, 16L << 30);
    size("tmp_table_size", 1L << 20, 16L << 30);
    size("max_heap_table_size", 1L << 20, 16L << 30);
    integer("wait_timeout", 1, 31_536_000);
    integer("interactive_timeout", 1, 31_536_000);
    integer("table_open_cache", 1, 1_048_576);
    integer("thread_cache_size", 0, 16_384);
    integer("expire_logs_days", 0, 99);
    integer("long_query_time", 0, 3600);
    integer("lock_wait_timeout", 1, 31_536_000);
    integer("innodb_lock_wait_timeout", 1, 1_073_741_824);
    choice("slow_query_log", "ON", "OFF");
    choice("performance_schema", "ON", "OFF");
    choice("character_set_server", "utf8mb4", "utf8mb3", "utf8", "latin1", "gbk", "binary");
    choice("transaction_isolation", "READ-UNCOMMITTED", "READ-COMMITTED", "REPEATABLE-READ", "SERIALIZABLE");
    choice("lower_case_table_names", "0", "1");
    choice("innodb_flush_log_at_trx_commit", "0", "1", "2");
    integer("sync_binlog", 0, 4_294_967_295L);
  }

  /**
   * Parameters a running MariaDB 10.11 refuses to change ({@code SET GLOBAL}: error 1238, read only): they take
   * effect at the next start. Every other settable one is dynamic there (checked against the server).
   */
  private static final Set<String> NEEDS_RESTART = Set.of("performance_schema");
  /** Fixed when the data directory is initialised: never changed afterwards. */
  private static final Set<String> FIXED_AT_INIT = Set.of("lower_case_table_names");

  /** Whether a change of {@code name} takes effect only after a restart. */
  public static boolean needsRestart(String name) {
    return NEEDS_RESTART.contains(name);
  }

  /** Whether {@code name} can only be chosen when an instance is created. */
  public static boolean fixedAtInit(String name) {
    return FIXED_AT_INIT.contains(name);
  }

  /** The template: what every local instance gets before request overrides. */
  public static Map<String, String> template() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("character_set_server", "utf8mb4");
    t.put("max_connections", "500");
    t.put("innodb_buffer_pool_size", Long.toString(128L << 20));
    t.put("performance_schema", "OFF");
    t.put("slow_query_log", "ON");
    t.put("long_query_time", "1");
    t.put("expire_logs_days", "7");
    return t;
  }

  private ParameterCatalog() {}

  private static void integer(String name, long min, long max) {
    SETTABLE.put(name, new Spec("integer", min, max, null));
  }

  private static void size(String name, long min, long max) {
    SETTABLE.put(name, new Spec("size", min, max, null));
  }

  private static void choice(String name, String... values) {
    SETTABLE.put(name, new Spec("choice", 0, 0, Set.of(values)));
  }

  public static Set<String> names() {
    return SETTABLE.keySet();
  }

  /** A parameter's value to store, or why it is refused (phrased to follow the parameter's name). */
  public record Normalized(String value, String problem) {
    static Normalized of(String value) {
      return new Normalized(value, null);
    }

    static Normalized refused(String problem) {
      return new Normalized(null, problem);
    }

    public boolean valid() {
      return problem == null;
    }
  }

  /** The normalised value of a settable parameter, or what is wrong with it. */
  public static Normalized normalize(String name, String value) {
    Spec spec = SETTABLE.get(name);
    if (spec == null) {
      return Normalized.refused("is not a settable parameter (settable: " + String.join(", ", SETTABLE.keySet()) + ")");
    }
    if (value == null || value.isBlank()) {
      return Normalized.refused("needs a value");
    }
    String v = value.trim();
    if (!v.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return Normalized.refused("must be printable ASCII"); // no case folding surprises (the Kelvin sign folds to 'k')
    }
    switch (spec.type()) {
      case "choice" -> {
        for (String c : spec.choices()) {
          if (c.equalsIgnoreCase(v)) {
            return Normalized.of(c);
          }
        }
        return Normalized.refused("must be one of " + String.join(", ", spec.choices().stream().sorted().toList()));
      }
      case "size", "integer" -> {
        Long n = parse(v, spec.type().equals("size"));
        if (n == null) {
          return Normalized.refused(spec.type().equals("size") ? "must be a size in bytes (suffix K, M or G allowed)" : "must be an integer");
        }
        if (n < spec.min() || n > spec.max()) {
          return Normalized.refused("must be between " + spec.min() + " and " + spec.max());
        }
        return Normalized.of(Long.toString(n));
      }
      default -> throw new IllegalStateException(spec.type());
    }
  }

  private static Long parse(String v, boolean size) {
    long factor = 1;
    String digits = v.toUpperCase(Locale.ROOT);
    if (size && digits.length() > 1) {
      char unit = digits.charAt(digits.length() - 1);
      factor = switch (unit) {
        case 'K' -> 1L << 10;
        case 'M' -> 1L << 20;
        case 'G' -> 1L << 30;
        default -> 1;
      };
      if (factor > 1) {
        digits = digits.substring(0, digits.length() - 1);
      }
    }
    if (!digits.matches("\\d{1,12}")) {
      return null;
    }
    try {
      return Math.multiplyExact(Long.parseLong(digits), factor);
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE; // above every maximum: rejected as out of range, never wrapped around
    }
  }
}

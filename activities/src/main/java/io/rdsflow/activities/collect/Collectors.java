package io.rdsflow.activities.collect;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The built-in collectors a datasource can switch off (seed 001: {@code collectors: {"processlist": false}}),
 * by the one name each goes by everywhere: the switch, {@code rdsflow_collector_success{collector}},
 * {@code rds_scrape_errors_total{collector}} and the error key in {@code /v1/collections}. JDBC targets run
 * the first five; a cloud instance's sessions come from DAS, which {@code processlist} switches too.
 */
public final class Collectors {
  public static final String PROCESSLIST = "processlist";
  public static final String GLOBAL_STATUS = "global_status";
  public static final String GLOBAL_VARIABLES = "global_variables";
  public static final String SLAVE_STATUS = "slave_status";
  public static final String INNODB = "innodb";

  /** Every name a switch may use, in the order the sources run. */
  public static final List<String> NAMES = List.of(PROCESSLIST, GLOBAL_STATUS, GLOBAL_VARIABLES, SLAVE_STATUS, INNODB);

  private Collectors() {}

  /**
   * Why {@code switches} cannot be stored (an unknown name, a null value), or null when it can.
   * Only {@code false} has an effect; {@code true} is kept as said.
   */
  public static String invalid(Map<String, Boolean> switches) {
    if (switches == null) {
      return null;
    }
    for (Map.Entry<String, Boolean> e : switches.entrySet()) {
      if (!NAMES.contains(e.getKey())) {
        return "unknown collector " + e.getKey() + "; known: " + String.join(", ", NAMES);
      }
      if (e.getValue() == null) {
        return "collector " + e.getKey() + " must be true or false";
      }
    }
    return null;
  }

  /** The names switched off. */
  public static Set<String> disabled(Map<String, Boolean> switches) {
    Set<String> off = new TreeSet<>();
    if (switches != null) {
      switches.forEach((k, v) -> {
        if (Boolean.FALSE.equals(v)) {
          off.add(k);
        }
      });
    }
    return off;
  }

  /** Every built-in collector, in order, and whether it runs: on unless {@code switches} turn it off. */
  public static Map<String, Boolean> effective(Map<String, Boolean> switches) {
    Set<String> off = disabled(switches);
    Map<String, Boolean> all = new java.util.LinkedHashMap<>();
    NAMES.forEach(name -> all.put(name, !off.contains(name)));
    return all;
  }
}

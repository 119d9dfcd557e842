package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.ParameterCatalog;
import io.rdsflow.activities.ops.OperationSteps;
import io.rdsflow.workflows.activities.ParameterOperations;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.rdsflow.workflows.operate.SpecChangePlans;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code rdsflow_set_parameters_live} on one node: my.cnf rewritten from the stored parameters (which
 * {@code rdsflow_persist_parameters} has just updated), then each changed dynamic parameter set with
 * {@code SET GLOBAL} and read back; a static one waits for the rolling restart the plan holds.
 */
public final class ParameterOperationsImpl implements ParameterOperations {
  private static final int UNKNOWN_SYSTEM_VARIABLE = 1193;

  private final OperationSteps steps;
  private final NodeAccess access;

  public ParameterOperationsImpl(OperationSteps steps, NodeAccess access) {
    this.steps = steps;
    this.access = access;
  }

  @Override
  public OperationStepResult setParametersLive(OperationStepInput in) {
    return steps.run(in, () -> {
      Map<String, String> changed = new TreeMap<>();
      in.facts().forEach((k, v) -> {
        if (k.startsWith(SpecChangePlans.FACT_PARAMETER)) {
          changed.put(k.substring(SpecChangePlans.FACT_PARAMETER.length()), v);
        }
      });
      if (changed.isEmpty()) {
        throw new StepFailure("no parameters reported by " + SpecChangePlans.PERSIST);
      }
      NodeContext n = access.load(in.row());
      n.server().writeConfig();
      List<String> live = new ArrayList<>();
      List<String> atRestart = new ArrayList<>();
      try (Connection c = n.root()) {
        for (Map.Entry<String, String> e : changed.entrySet()) {
          String name = e.getKey();
          if (ParameterCatalog.needsRestart(name)) {
            atRestart.add(name + "=" + e.getValue());
            continue;
          }
          String running = setGlobal(c, name, e.getValue());
          live.add(name + "=" + running + (same(e.getValue(), running) ? ""
              : " (asked " + e.getValue() + ", the server rounded it)"));
        }
      }
      StringBuilder m = new StringBuilder("in my.cnf: ").append(String.join(", ", changed.keySet()));
      if (!live.isEmpty()) {
        m.append("; live now: ").append(String.join(", ", live));
      }
      if (!atRestart.isEmpty()) {
        m.append("; need a restart (the rolling restart below applies them): ").append(String.join(", ", atRestart));
      }
      return OperationStepResult.of(m.toString());
    });
  }

  private static boolean same(String wanted, String running) {
    String r = "1".equals(running) && wanted.equals("ON") ? "ON" : "0".equals(running) && wanted.equals("OFF") ? "OFF" : running;
    return HostParameterStepsImpl.sameValue(wanted, r);
  }

  /** SET GLOBAL of a catalog parameter (its name is the catalog's, never the request's text); the value it runs with. */
  private static String setGlobal(Connection c, String name, String value) throws SQLException {
    try {
      set(c, name, value);
    } catch (SQLException e) {
      if (e.getErrorCode() != UNKNOWN_SYSTEM_VARIABLE || !name.equals("transaction_isolation")) {
        throw e;
      }
      name = "tx_isolation"; // MariaDB before 11.1 knows the option transaction_isolation under this variable name
      set(c, name, value);
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@global." + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void set(Connection c, String name, String value) throws SQLException {
    if (!ParameterCatalog.names().contains(name) && !name.equals("tx_isolation")) {
      throw new StepFailure(name + " is not a settable parameter");
    }
    try (PreparedStatement ps = c.prepareStatement("SET GLOBAL " + name + " = ?")) {
      if (value.matches("\\d{1,18}")) {
        ps.setLong(1, Long.parseLong(value));
      } else {
        ps.setString(1, value);
      }
      ps.execute();
    }
  }
}

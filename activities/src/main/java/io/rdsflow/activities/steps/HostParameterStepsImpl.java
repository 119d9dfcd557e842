package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.TimeZones;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.workflows.activities.HostParameterSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Time zones and parameters of the running server of the node of {@code StepInput.role} (seed 003). */
public final class HostParameterStepsImpl implements HostParameterSteps {
  private final StepRunner runner;
  private final NodeAccess access;

  public HostParameterStepsImpl(StepRunner runner, NodeAccess access) {
    this.runner = runner;
    this.access = access;
  }

  @Override
  public StepResult doInsertTimeZoneTables(StepInput in) { // do_insert_time_zone_tables
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      MysqldServer server = n.server();
      Optional<Path> tool = server.binaries().tzinfoToSql();
      if (tool.isEmpty()) {
        return StepResult.skipped("no mariadb-tzinfo-to-sql in " + server.binaries().server().getParent()
            + "; named time zones are unavailable, offsets such as +08:00 work");
      }
      if (!TimeZones.available()) {
        return StepResult.skipped("no " + TimeZones.ZONEINFO + " on host " + access.host.name());
      }
      try (Connection c = n.root()) {
        int present = TimeZones.count(c);
        if (present > 0) {
          // the usual case: every node's data directory came from the host's template with the zones in it
          return StepResult.of(present + " time zone names already on every node (from the host's data directory template)");
        }
        int zones = TimeZones.load(tool.get(), c, () -> StepRunner.heartbeat("time zones"));
        return StepResult.of(zones + " time zone names loaded (replicated to the slave)");
      }
    });
  }

  @Override
  public StepResult doResetNamedTimezoneConfig(StepInput in) { // do_reset_named_timezone_config
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      String zone = n.request().timeZone();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      try (Connection c = n.root()) {
        while (true) {
          try (var ps = c.prepareStatement("SET GLOBAL time_zone = ?")) {
            ps.setString(1, zone);
            ps.execute();
            break;
          } catch (SQLException e) {
            if (e.getErrorCode() != 1298 || System.nanoTime() > deadline) {
              throw new StepFailure("time zone " + zone + " is not known to the server (" + e.getMessage() + ")");
            }
            StepRunner.heartbeat("waiting for the time zone tables to replicate");
            Thread.sleep(200);
          }
        }
      }
      NodeContext configured = n;
      if (!zone.equals(n.params.get("time_zone"))) {
        Map<String, String> params = new LinkedHashMap<>(n.params);
        params.put("time_zone", zone);
        Map<String, String> sources = new LinkedHashMap<>();
        params.keySet().forEach(k -> sources.put(k, k.equals("time_zone") ? "request" : "template"));
        access.requests.replaceParams(in.instanceId(), params, sources);
        configured = n.withParams(access.requests.params(in.instanceId())); // as stored, in the table's order
      }
      configured.server().writeConfig();
      return StepResult.of("time zone " + zone + " live and in my.cnf");
    });
  }

  @Override
  public StepResult doPersisCustinsParam(StepInput in) { // do_persis_custins_param
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      Map<String, String> expected = n.params;
      List<String> mismatches = new ArrayList<>();
      int checked = 0;
      try (Connection c = n.root()) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
          try (var ps = c.prepareStatement("SHOW GLOBAL VARIABLES LIKE ?")) {
            ps.setString(1, e.getKey());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                continue;
              }
              checked++;
              if (!sameValue(e.getValue(), rs.getString(2))) {
                mismatches.add(e.getKey() + "=" + rs.getString(2) + " (expected " + e.getValue() + ")");
              }
            }
          }
        }
      }
      if (!mismatches.isEmpty()) {
        throw new StepFailure("running values differ from mycnf_custinstance: " + String.join(", ", mismatches));
      }
      return StepResult.of(checked + " parameters verified on the running server");
    });
  }

  static boolean sameValue(String expected, String actual) {
    if (expected.equalsIgnoreCase(actual)) {
      return true;
    }
    try {
      return Double.parseDouble(expected) == Double.parseDouble(actual);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}

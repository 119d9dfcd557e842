package io.rdsflow.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What the operations tests share: a one-host service for a local pair, the endpoints, and waiting for an operation.
 * Public for the monitoring checks of {@code io.rdsflow.service.deploy}, which need a live local pair too.
 */
public final class OperationsApi {
  private OperationsApi() {}

  /** A service whose own agent is host h0 with its instances under {@code root/h0}, collection off. */
  public static Map<String, String> oneHostConfig(Path root, String schemaPrefix) {
    Map<String, String> config = TestApp.config(root.resolve("server"), schemaPrefix);
    config.put("localEngine.hostName", "h0");
    config.put("localEngine.baseDir", root.resolve("h0").toString());
    config.put("localEngine.portRange", PortBlock.free(10).range());
    config.put("collection.enabled", "false");
    return config;
  }

  /** A RUNNING local master-slave pair named {@code name} with an empty table {@code shop.orders}; returns its id. */
  public static String createPairWithOrders(TestApp app, String name) throws Exception {
    String id = app.post("/v1/instances", LocalEngineTest.request(name, "master-slave", null)).json().get("instanceId").asText();
    LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
    try (java.sql.Connection c = LocalEngineTest.connect(endpoints(app, id).get("master"), "shop_app", LocalEngineTest.PASSWORD);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(32))");
    }
    return id;
  }

  /** Deletes the instance (waiting for DELETED), closes the service, and stops whatever a failed test left under {@code root}. */
  public static void deleteAndClose(TestApp app, String instanceId, Path root) {
    try {
      if (app != null && instanceId != null) {
        app.delete("/v1/instances/" + instanceId);
        LocalEngineTest.waitForStatus(app, instanceId, "DELETED", Duration.ofMinutes(2));
      }
    } catch (Exception | AssertionError e) {
      // reported by the failing test (a deletion refused while an operation runs...)
    } finally {
      if (app != null) {
        app.close();
      }
      io.rdsflow.testkit.TestProcesses.stopAllUnder(root); // servers and proxies a failed test left behind
    }
  }

  /** The instance's endpoints: role (master, slave, writer, reader) → port. */
  static Map<String, Integer> endpoints(TestApp app, String instanceId) {
    Map<String, Integer> ports = new HashMap<>();
    app.get("/v1/instances/" + instanceId).json().get("endpoints").forEach(e -> ports.put(e.get("role").asText(), e.get("port").asInt()));
    return ports;
  }

  /** A session on one node as the instance's rdsflow_admin account (its password read from the metadata). */
  static java.sql.Connection admin(TestApp app, String instanceId, int port) throws java.sql.SQLException {
    var jdbi = app.application().parts().db().jdbi();
    String encrypted = jdbi.withHandle(h -> h.createQuery("SELECT password_encrypted FROM instance_accounts "
        + "WHERE ins_id = :i AND account_name = 'rdsflow_admin'").bind("i", instanceId).mapTo(String.class).one());
    return LocalEngineTest.connect(port, "rdsflow_admin", app.application().parts().cipher().decrypt(encrypted));
  }

  /** The instance's secrets: its root password and the passwords of rdsflow_admin and rdsflow_repl (to look for leaks). */
  static java.util.List<String> secrets(TestApp app, String instanceId) {
    var jdbi = app.application().parts().db().jdbi();
    var cipher = app.application().parts().cipher();
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add(cipher.decrypt(new io.rdsflow.activities.meta.InstanceDao(jdbi).rootPassword(instanceId).orElseThrow()));
    jdbi.withHandle(h -> h.createQuery("SELECT password_encrypted FROM instance_accounts WHERE ins_id = :i "
        + "AND account_name IN ('rdsflow_admin', 'rdsflow_repl')").bind("i", instanceId).mapTo(String.class).list())
        .forEach(e -> out.add(cipher.decrypt(e)));
    return out;
  }

  /** The operation once it is no longer RUNNING. */
  public static JsonNode waitFor(TestApp app, String operationId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = app.get("/v1/operations/" + operationId).json();
      if (!last.get("status").asText().equals("RUNNING")) {
        return last;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("operation " + operationId + " still running after " + timeout + ": " + last);
  }
}

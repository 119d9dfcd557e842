package io.rdsflow.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is valid for {@code docker-compose config} (Debian package docker-compose, installed by
 * {@code .ci/install-deps}) with the secrets it requires, refuses to start without each of them, and mounts
 * the shipped Prometheus rules and Grafana provisioning from files that exist where their configurations
 * look for them.
 */
class DockerComposeConfigTest {
  /** The variables the file requires ({@code ${VAR:?...}}), with values for the test. */
  static final Map<String, String> SECRETS = Map.of("ENCRYPTION_PASSWORD", "compose-encryption-password",
      "RDSFLOW_ADMIN_PASSWORD", "compose-admin-password", "GRAFANA_ADMIN_PASSWORD", "compose-grafana-password");

  @Test
  void composeFileValidatesWithItsSecretsSet() throws Exception {
    ToolRun r = compose(SECRETS, "config", "-q");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.output()).as(r.toString()).isBlank();
  }

  @Test
  void eachSecretIsRequired() throws Exception {
    for (String name : SECRETS.keySet()) {
      Map<String, String> env = new HashMap<>(SECRETS);
      env.put(name, null);
      ToolRun r = compose(env, "config", "-q");
      assertThat(r.exit()).as("without " + name + ": " + r).isNotZero();
      assertThat(r.output()).as(r.toString()).contains("set " + name);
    }
  }

  @Test
  void prometheusAndGrafanaMountTheShippedFiles() throws Exception {
    ToolRun r = compose(SECRETS, "config");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode services = AlertRules.YAML.readTree(r.output()).get("services");

    Map<String, String> prometheus = bindMounts(services.get("prometheus"));
    assertThat(prometheus).containsEntry("/etc/prometheus/prometheus.yml", DeployFiles.prometheusConfig().toString())
        .containsEntry("/etc/prometheus/rdsflow-rules.yml", DeployFiles.rules().toString());
    JsonNode promConfig = AlertRules.YAML.readTree(DeployFiles.prometheusConfig().toFile());
    assertThat(promConfig.get("rule_files").get(0).asText()).as("rule_files, relative to /etc/prometheus/prometheus.yml")
        .isEqualTo("rdsflow-rules.yml");
    assertThat(promConfig.get("scrape_configs").get(0).get("static_configs").get(0).get("targets").get(0).asText())
        .as("Prometheus scrapes the rdsflow service").isEqualTo("rdsflow:8080");

    JsonNode grafana = services.get("grafana");
    assertThat(grafana.get("image").asText()).as("a pinned Grafana OSS image").matches("grafana/grafana-oss:\\d+\\.\\d+\\.\\d+");
    assertThat(grafana.get("ports").get(0).get("published").asInt()).isEqualTo(3000);
    Map<String, String> mounts = bindMounts(grafana);
    Path provisioning = DeployFiles.root().resolve("deploy/grafana/provisioning");
    assertThat(mounts).containsEntry("/etc/grafana/provisioning", provisioning.toString());
    JsonNode provider = AlertRules.YAML.readTree(provisioning.resolve("dashboards/rdsflow.yml").toFile()).get("providers").get(0);
    String dashboardsInContainer = provider.get("options").get("path").asText();
    assertThat(mounts).as("the provider's path is where the dashboards are mounted")
        .containsEntry(dashboardsInContainer, DeployFiles.dashboards().toString());
    String home = grafana.get("environment").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
    assertThat(home).startsWith(dashboardsInContainer + "/");
    assertThat(DeployFiles.dashboards().resolve(home.substring(dashboardsInContainer.length() + 1))).isRegularFile();
    JsonNode datasource = AlertRules.YAML.readTree(provisioning.resolve("datasources/prometheus.yml").toFile())
        .get("datasources").get(0);
    assertThat(datasource.get("url").asText()).as("Grafana reads the compose file's Prometheus").isEqualTo("http://prometheus:9090");
  }

  /** Container path → host path of a service's bind mounts; each host path must exist. */
  static Map<String, String> bindMounts(JsonNode service) {
    Map<String, String> out = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (JsonNode v : service.get("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts[0].startsWith("/")) {
        out.put(parts[1], parts[0]);
        if (!Files.exists(Path.of(parts[0]))) {
          missing.add(parts[0]);
        }
      }
    }
    assertThat(missing).as("bind mounts of files that do not exist").isEmpty();
    return out;
  }

  static ToolRun compose(Map<String, String> env, String... args) throws InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker-compose", "-f", "docker-compose.yml"));
    command.addAll(List.of(args));
    try {
      return ToolRun.run(DeployFiles.root(), env, command);
    } catch (IOException e) {
      return Assertions.fail("docker-compose cannot run (" + e.getMessage() + "): `bash .ci/install-deps` installs it");
    }
  }
}

package io.rdsflow.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart (deploy/helm/rdsflow) passes {@code helm lint --strict} and renders what a cluster needs,
 * for the default values and for ci/full-values.yaml (every optional part on): the server Deployment with
 * probes on /healthz, secrets reaching the pods only through secretKeyRef, the optional HPA, ServiceMonitor,
 * PrometheusRule (the rules of deploy/prometheus, byte for byte) and agent DaemonSet.
 */
class HelmChartTest {
  /** The pods' environment variables whose values are secrets: never a literal value in a manifest. */
  static final Map<String, String> SECRET_ENV = Map.of(
      "ENCRYPTION_PASSWORD", "encryption-password",
      "RDSFLOW_ADMIN_PASSWORD", "admin-password",
      "RDSFLOW_VIEWER_PASSWORD", "viewer-password",
      "DATABASE_PASSWORD", "database-password",
      "METRICS_BASIC_AUTH_PASSWORD", "metrics-password");

  @Test
  void lintPassesWithTheDefaultValues() {
    assertClean(HelmChart.lint());
  }

  @Test
  void lintPassesWithEveryOptionalPartOn(@TempDir Path scratch) throws Exception {
    assertClean(HelmChart.lintWith(HelmChart.fullValues(), scratch));
  }

  @Test
  void defaultValuesRenderTheServerAloneWithItsSecret() throws Exception {
    List<JsonNode> docs = HelmChart.render(t -> t);

    assertThat(kinds(docs)).containsExactlyInAnyOrder("Deployment", "PodDisruptionBudget", "Secret", "Service",
        "ServiceAccount");
    JsonNode deployment = HelmChart.only(docs, "Deployment", "rdsflow");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode server = container(deployment, "server");
    assertThat(server.at("/args").toString()).isEqualTo("[\"server\"]");
    assertServesProbesOnHealthz(server);
    Map<String, JsonNode> env = env(server);
    assertThat(env.get("TEMPORAL_TARGET").path("value").asText()).isEqualTo("temporal-frontend:7233");
    assertThat(env.get("DATABASE_URL").path("value").asText()).isEqualTo("jdbc:mariadb://mysql:3306/rdsflow");
    assertThat(env.get("RDSFLOW_BIND_HOST").path("value").asText()).isEqualTo("0.0.0.0");

    JsonNode secret = HelmChart.only(docs, "Secret", "rdsflow");
    assertThat(secret.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
    // nothing is made up at render time: the same values render the same Secret (no password churn on upgrade)
    assertThat(decoded(secret, "encryption-password")).isEmpty();
    assertThat(HelmChart.only(HelmChart.render(t -> t), "Secret", "rdsflow")).isEqualTo(secret);
    assertSecretsFromSecret(server, secret, Set.of("ENCRYPTION_PASSWORD", "RDSFLOW_ADMIN_PASSWORD",
        "RDSFLOW_VIEWER_PASSWORD", "DATABASE_PASSWORD"));

    JsonNode service = HelmChart.only(docs, "Service", "rdsflow");
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
    assertSelects(service.at("/spec/selector"), deployment);
    JsonNode pdb = HelmChart.only(docs, "PodDisruptionBudget", "rdsflow");
    assertSelects(pdb.at("/spec/selector/matchLabels"), deployment);
  }

  @Test
  void fullValuesRenderEveryPartWithSecretsOnlyInTheSecret() throws Exception {
    List<JsonNode> docs = HelmChart.render(t -> t.withValuesFile(HelmChart.fullValues()));

    assertThat(kinds(docs)).contains("DaemonSet", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget",
        "PrometheusRule", "Secret", "Service", "ServiceAccount", "ServiceMonitor");
    JsonNode deployment = HelmChart.only(docs, "Deployment", "rdsflow");
    assertThat(deployment.at("/spec/replicas").isMissingNode()).as("the HPA owns the replica count").isTrue();
    JsonNode hpa = HelmChart.only(docs, "HorizontalPodAutoscaler", null);
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("rdsflow");
    assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(5);

    JsonNode secret = HelmChart.only(docs, "Secret", "rdsflow");
    JsonNode server = container(deployment, "server");
    assertServesProbesOnHealthz(server);
    assertSecretsFromSecret(server, secret, SECRET_ENV.keySet());
    JsonNode agentSet = HelmChart.only(docs, "DaemonSet", "rdsflow-agent");
    JsonNode agent = container(agentSet, "agent");
    assertThat(agent.at("/args").toString()).isEqualTo("[\"agent\"]");
    assertThat(agentSet.at("/spec/template/spec/hostNetwork").asBoolean()).isTrue();
    assertThat(env(agent).get("LOCAL_ENGINE_HOST_NAME").at("/valueFrom/fieldRef/fieldPath").asText())
        .isEqualTo("spec.nodeName");
    assertThat(env(agent)).doesNotContainKey("RDSFLOW_ADMIN_PASSWORD");
    assertSecretsFromSecret(agent, secret, Set.of("ENCRYPTION_PASSWORD", "DATABASE_PASSWORD"));

    // the values file's secrets are in the Secret (base64) and nowhere else, in no form
    Map<String, String> given = Map.of("encryption-password", "full-values-encryption-password",
        "admin-password", "full-values-admin-password", "viewer-password", "full-values-viewer-password",
        "database-password", "full-values-database-password", "metrics-password", "full-values-metrics-password");
    given.forEach((key, value) -> assertThat(decoded(secret, key)).isEqualTo(value));
    for (JsonNode doc : docs) {
      if (doc == secret) {
        continue;
      }
      String text = doc.toString();
      for (String value : given.values()) {
        assertThat(text).as(doc.path("kind").asText()).doesNotContain(value)
            .doesNotContain(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
      }
    }

    JsonNode monitor = HelmChart.only(docs, "ServiceMonitor", "rdsflow");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
    assertThat(monitor.at("/spec/endpoints/0/basicAuth/password/name").asText()).isEqualTo("rdsflow");
    assertThat(monitor.at("/spec/endpoints/0/basicAuth/password/key").asText()).isEqualTo("metrics-password");
    JsonNode user = HelmChart.only(docs, "Secret", monitor.at("/spec/endpoints/0/basicAuth/username/name").asText());
    assertThat(user.at("/stringData/" + monitor.at("/spec/endpoints/0/basicAuth/username/key").asText()).asText())
        .isEqualTo("prometheus");
    JsonNode service = HelmChart.only(docs, "Service", "rdsflow");
    monitor.at("/spec/selector/matchLabels").properties().forEach(label ->
        assertThat(service.at("/metadata/labels").path(label.getKey()).asText()).as(label.getKey())
            .isEqualTo(label.getValue().asText()));

    JsonNode rule = HelmChart.only(docs, "PrometheusRule", "rdsflow");
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.path("spec")).isEqualTo(HelmChart.YAML.readTree(DeployFiles.rules().toFile()));
  }

  @Test
  void anExistingSecretIsReferencedAndNoneIsCreated() throws Exception {
    List<JsonNode> docs = HelmChart.render(t -> t.withValuesFile(HelmChart.fullValues())
        .set("secrets.existingSecret", "rdsflow-prod"));

    assertThat(docs).noneMatch(d -> "Secret".equals(d.path("kind").asText())
        && "rdsflow".equals(d.at("/metadata/name").asText()));
    Map<String, JsonNode> env = env(container(HelmChart.only(docs, "Deployment", "rdsflow"), "server"));
    SECRET_ENV.forEach((name, key) -> {
      assertThat(env.get(name).at("/valueFrom/secretKeyRef/name").asText()).as(name).isEqualTo("rdsflow-prod");
      assertThat(env.get(name).at("/valueFrom/secretKeyRef/key").asText()).as(name).isEqualTo(key);
    });
  }

  @Test
  void renderingWithoutATemporalTargetFailsNamingTheValue() {
    assertThatThrownBy(() -> HelmChart.render(t -> t.set("temporal.target", "")))
        .hasMessageContaining("temporal.target");
  }

  /** Every variable the chart sets is one the service reads, so a renamed setting cannot go unnoticed. */
  @Test
  void everyEnvironmentVariableTheChartSetsIsReadByTheService() throws Exception {
    ServiceEnvironment service = ServiceEnvironment.load();
    List<JsonNode> docs = HelmChart.render(t -> t.withValuesFile(HelmChart.fullValues()));
    Set<String> names = new TreeSet<>(env(container(HelmChart.only(docs, "Deployment", "rdsflow"), "server")).keySet());
    names.addAll(env(container(HelmChart.only(docs, "DaemonSet", "rdsflow-agent"), "agent")).keySet());
    names.remove("JAVA_TOOL_OPTIONS"); // read by the JVM
    names.remove("TZ"); // full-values.yaml's extraEnv example

    assertThat(names).hasSizeGreaterThan(15)
        .allSatisfy(name -> assertThat(service.reads(name)).as(name + " read by the service").isTrue());
  }

  @Test
  void thePrometheusRuleCarriesTheRulesFileByteForByte() throws Exception {
    Path copy = HelmChart.dir().resolve("files/rdsflow-rules.yml");
    assertThat(Files.mismatch(copy, DeployFiles.rules()))
        .as("%s differs from %s: copy it again", copy, DeployFiles.rules()).isEqualTo(-1L);
  }

  private static void assertClean(LintResult lint) {
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  private static void assertServesProbesOnHealthz(JsonNode container) {
    assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(env(container).get("RDSFLOW_HTTP_PORT").path("value").asText()).isEqualTo("8080");
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(container.path(probe).at("/httpGet/path").asText()).as(probe).isEqualTo("/healthz");
      assertThat(container.path(probe).at("/httpGet/port").asText()).as(probe).isEqualTo("http");
    }
  }

  /** Each of {@code names} comes from {@code secret} through secretKeyRef, with a key the Secret has, and has no literal value. */
  private static void assertSecretsFromSecret(JsonNode container, JsonNode secret, Set<String> names) {
    Map<String, JsonNode> env = env(container);
    for (String name : names) {
      JsonNode entry = env.get(name);
      assertThat(entry).as(name).isNotNull();
      assertThat(entry.has("value")).as(name + " inlined").isFalse();
      assertThat(entry.at("/valueFrom/secretKeyRef/name").asText()).as(name).isEqualTo(secret.at("/metadata/name").asText());
      assertThat(secret.path("data").has(entry.at("/valueFrom/secretKeyRef/key").asText())).as(name).isTrue();
    }
  }

  private static void assertSelects(JsonNode selector, JsonNode deployment) {
    JsonNode labels = deployment.at("/spec/template/metadata/labels");
    assertThat(selector.size()).isPositive();
    selector.properties().forEach(e ->
        assertThat(labels.path(e.getKey()).asText()).as(e.getKey()).isEqualTo(e.getValue().asText()));
  }

  private static String decoded(JsonNode secret, String key) {
    return new String(Base64.getDecoder().decode(secret.at("/data/" + key).asText()), StandardCharsets.UTF_8);
  }

  private static Set<String> kinds(List<JsonNode> docs) {
    return docs.stream().map(d -> d.path("kind").asText()).collect(Collectors.toSet());
  }

  private static JsonNode container(JsonNode workload, String name) {
    return StreamSupport.stream(workload.at("/spec/template/spec/containers").spliterator(), false)
        .filter(c -> name.equals(c.path("name").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  private static Map<String, JsonNode> env(JsonNode container) {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    container.path("env").forEach(e -> {
      if (env.put(e.path("name").asText(), e) != null) {
        throw new AssertionError("environment variable set twice: " + e.path("name").asText());
      }
    });
    return env;
  }
}

package io.rdsflow.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.service.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus rules are valid ({@code promtool check rules}), pass their unit tests
 * ({@code promtool test rules deploy/prometheus/tests/*.yml}), and every alert is tested both firing and
 * not firing, carries a severity and says which instance it is about. The Prometheus configuration of
 * docker-compose.yml loads them ({@code promtool check config}).
 */
class PrometheusRulesTest {
  static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  @Test
  void rulesPassPromtoolCheck() throws Exception {
    ToolRun r = promtool("check", "rules", DeployFiles.rules().toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.output()).as(r.toString()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void ruleUnitTestsPass() throws Exception {
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    testFiles().forEach(f -> args.add(f.toString()));
    ToolRun r = promtool(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.output()).as(r.toString()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws Exception {
    Map<String, Integer> firing = new TreeMap<>();
    Map<String, Integer> silent = new TreeMap<>();
    for (Path f : testFiles()) {
      for (JsonNode test : AlertRules.YAML.readTree(f.toFile()).get("tests")) {
        for (JsonNode t : test.path("alert_rule_test")) {
          boolean fires = t.path("exp_alerts").size() > 0;
          (fires ? firing : silent).merge(t.get("alertname").asText(), 1, Integer::sum);
        }
      }
    }
    List<String> alerts = AlertRules.read(DeployFiles.rules()).alerts().stream().map(a -> a.get("alert").asText()).toList();
    assertThat(alerts).as("alerts in the rules").hasSizeGreaterThanOrEqualTo(10);
    assertThat(alerts).as("alerts never tested firing").allMatch(firing::containsKey);
    assertThat(alerts).as("alerts never tested not firing").allMatch(silent::containsKey);
    assertThat(firing.keySet()).as("tests of alerts that do not exist").isSubsetOf(alerts);
  }

  @Test
  void everyAlertHasASeverityAndNamesTheInstance() throws Exception {
    List<String> problems = new ArrayList<>();
    for (JsonNode a : AlertRules.read(DeployFiles.rules()).alerts()) {
      String name = a.get("alert").asText();
      if (!SEVERITIES.contains(a.path("labels").path("severity").asText())) {
        problems.add(name + ": severity is not one of " + SEVERITIES);
      }
      String summary = a.path("annotations").path("summary").asText();
      String description = a.path("annotations").path("description").asText();
      if (summary.isBlank() || description.isBlank()) {
        problems.add(name + ": summary or description missing");
      }
      boolean perInstance = PromqlNames.metricNames(a.get("expr").asText()).stream().anyMatch(n -> n.startsWith("rds_"))
          || a.get("expr").asText().contains("rdsflow:rds_");
      if (perInstance && !(summary.contains("$labels.instance_id") && description.contains("$labels.instance_id"))) {
        problems.add(name + ": an alert on rds_* series names {{ $labels.instance_id }} in its summary and description");
      }
      if (!description.contains("instance_id")) {
        problems.add(name + ": the description says where the instance_id is found");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void recordingRulesTheAlertsUseAreDefined() throws Exception {
    AlertRules rules = AlertRules.read(DeployFiles.rules());
    Set<String> used = new TreeSet<>();
    rules.expressions().forEach(e -> used.addAll(PromqlNames.recordingRules(e)));
    assertThat(used).isNotEmpty();
    assertThat(rules.recordNames()).containsAll(used);
  }

  @Test
  void prometheusConfigurationLoadsTheRules() throws Exception {
    ToolRun r = promtool("check", "config", DeployFiles.prometheusConfig().toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.output()).as(r.toString()).contains("SUCCESS: 1 rule files found").contains("rdsflow-rules.yml");
  }

  /** promtool (failing the test when the machine has none) with {@code args}, in the repository root. */
  static ToolRun promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Promtool.require().toString()));
    command.addAll(List.of(args));
    return ToolRun.run(DeployFiles.root(), Map.of(), command);
  }

  static List<Path> testFiles() throws Exception {
    try (Stream<Path> s = Files.list(DeployFiles.ruleTests())) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
      assertThat(files).as("rule unit tests in " + DeployFiles.ruleTests()).isNotEmpty();
      return files;
    }
  }
}

package io.rdsflow.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shipped Grafana dashboards: the four of issue 13 (fleet, one instance, collection health, provisioning
 * and operations), each panel querying the Prometheus chosen by the {@code datasource} variable (so they import
 * into any Grafana), the instance dashboard templated on instance_id, and the recording rules they read defined
 * in rdsflow-rules.yml. That their metric names exist is {@link MonitoredNamesLiveTest}'s.
 */
class GrafanaDashboardsTest {
  static final String DATASOURCE = "${datasource}";

  @Test
  void theFourDashboardsAreThere() throws Exception {
    List<String> uids = GrafanaDashboards.read().all().stream().map(GrafanaDashboards.Dashboard::uid).toList();
    assertThat(uids).containsExactlyInAnyOrder("rdsflow-fleet", "rdsflow-instance", "rdsflow-collection", "rdsflow-operations");
  }

  @Test
  void everyPanelQueriesTheChosenPrometheus() throws Exception {
    List<String> problems = new ArrayList<>();
    for (GrafanaDashboards.Dashboard d : GrafanaDashboards.read().all()) {
      boolean hasVariable = false;
      for (JsonNode v : d.json().path("templating").path("list")) {
        hasVariable |= v.path("name").asText().equals("datasource") && v.path("type").asText().equals("datasource")
            && v.path("query").asText().equals("prometheus");
      }
      if (!hasVariable) {
        problems.add(d.file().getFileName() + ": no datasource variable of type prometheus");
      }
      if (!d.json().path("title").asText().startsWith("rdsflow / ")) {
        problems.add(d.file().getFileName() + ": title not under 'rdsflow / '");
      }
      for (JsonNode p : d.panels()) {
        String where = d.file().getFileName() + " panel '" + p.path("title").asText() + "'";
        if (!p.path("datasource").path("uid").asText().equals(DATASOURCE)) {
          problems.add(where + ": datasource is not " + DATASOURCE);
        }
        if (p.path("targets").isEmpty()) {
          problems.add(where + ": no query");
        }
        for (JsonNode t : p.path("targets")) {
          if (t.path("expr").asText().isBlank() || !t.path("datasource").path("uid").asText().equals(DATASOURCE)) {
            problems.add(where + " target " + t.path("refId").asText() + ": empty or not on " + DATASOURCE);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theInstanceDashboardShowsTheChosenInstanceOnly() throws Exception {
    GrafanaDashboards.Dashboard d = GrafanaDashboards.read().all().stream().filter(x -> x.uid().equals("rdsflow-instance"))
        .findFirst().orElseThrow();
    JsonNode variable = null;
    for (JsonNode v : d.json().path("templating").path("list")) {
      if (v.path("name").asText().equals("instance_id")) {
        variable = v;
      }
    }
    assertThat(variable).as("variable instance_id").isNotNull();
    assertThat(variable.path("definition").asText()).isEqualTo("label_values(rds_up, instance_id)");
    List<String> unfiltered = new ArrayList<>();
    for (JsonNode p : d.panels()) {
      p.path("targets").forEach(t -> {
        String expr = t.path("expr").asText();
        long selectors = countSelectors(expr);
        long filtered = expr.split("instance_id=\"\\$instance_id\"", -1).length - 1;
        if (selectors == 0 || filtered < selectors) {
          unfiltered.add(p.path("title").asText() + ": " + expr);
        }
      });
    }
    assertThat(unfiltered).as("queries of the instance dashboard not limited to $instance_id").isEmpty();
  }

  @Test
  void recordingRulesTheDashboardsReadAreDefined() throws Exception {
    Set<String> used = new TreeSet<>();
    GrafanaDashboards.read().expressions().forEach(e -> used.addAll(PromqlNames.recordingRules(e)));
    assertThat(used).isNotEmpty();
    assertThat(AlertRules.read(DeployFiles.rules()).recordNames()).containsAll(used);
  }

  /** How many series selectors (metric names) an expression has, counting repeats. */
  static long countSelectors(String expr) {
    long n = 0;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(rds|rdsflow)_[a-z0-9_]+").matcher(expr);
    while (m.find()) {
      n++;
    }
    return n;
  }
}

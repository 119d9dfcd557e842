package io.rdsflow.service.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The dashboards of deploy/grafana/dashboards: their files, panels and PromQL expressions. */
record GrafanaDashboards(List<Dashboard> all) {
  /** One dashboard file: its JSON, every panel (rows' panels too) and every expression (targets and variables). */
  record Dashboard(Path file, JsonNode json, List<JsonNode> panels, List<String> expressions) {
    String uid() {
      return json.path("uid").asText();
    }
  }

  static GrafanaDashboards read() throws IOException {
    List<Dashboard> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(DeployFiles.dashboards())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode d = json.readTree(f.toFile());
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(d.path("panels"), panels);
        List<String> expressions = new ArrayList<>();
        panels.forEach(p -> p.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
        d.path("templating").path("list").forEach(v -> {
          if (v.path("type").asText().equals("query")) {
            expressions.add(v.path("definition").asText());
          }
        });
        out.add(new Dashboard(f, d, panels, expressions));
      }
    }
    return new GrafanaDashboards(out);
  }

  private static void collectPanels(JsonNode panels, List<JsonNode> out) {
    for (JsonNode p : panels) {
      if (p.path("type").asText().equals("row")) {
        collectPanels(p.path("panels"), out);
      } else {
        out.add(p);
      }
    }
  }

  List<String> expressions() {
    return all.stream().flatMap(d -> d.expressions().stream()).toList();
  }
}

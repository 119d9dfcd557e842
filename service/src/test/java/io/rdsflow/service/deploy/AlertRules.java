package io.rdsflow.service.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The rules of deploy/prometheus/rdsflow-rules.yml as YAML trees: alerts and recording rules. */
record AlertRules(List<JsonNode> alerts, List<JsonNode> records) {
  static final YAMLMapper YAML = new YAMLMapper();

  static AlertRules read(Path file) throws IOException {
    List<JsonNode> alerts = new ArrayList<>();
    List<JsonNode> records = new ArrayList<>();
    for (JsonNode group : YAML.readTree(file.toFile()).get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        (rule.has("alert") ? alerts : records).add(rule);
      }
    }
    return new AlertRules(alerts, records);
  }

  List<String> expressions() {
    List<String> out = new ArrayList<>();
    alerts.forEach(r -> out.add(r.get("expr").asText()));
    records.forEach(r -> out.add(r.get("expr").asText()));
    return out;
  }

  List<String> recordNames() {
    return records.stream().map(r -> r.get("record").asText()).toList();
  }
}

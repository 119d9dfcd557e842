package io.rdsflow.service.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * deploy/helm/rdsflow driven through helm-java (helm's own lint and template, in-process, no cluster):
 * rendering into parsed manifests, and linting under a values file. helm-java's lint takes no values
 * file, so {@link #lintWith} lints a copy of the chart whose values.yaml is the defaults merged with it.
 */
final class HelmChart {
  /** Duplicate keys are an error, as they are for the Kubernetes API (helm itself lets them through). */
  static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  static final String RELEASE = "rdsflow";
  /** helm template assumes Kubernetes 1.20 offline; the chart asks for 1.23 (autoscaling/v2, policy/v1). */
  static final String KUBE_VERSION = "1.30.0";

  private HelmChart() {}

  static Path dir() {
    return DeployFiles.root().resolve("deploy/helm/rdsflow");
  }

  static Path fullValues() {
    return dir().resolve("ci/full-values.yaml");
  }

  /** {@code helm template rdsflow <chart>} with the changes {@code options} makes; the manifests it prints. */
  static List<JsonNode> render(UnaryOperator<TemplateCommand> options) throws IOException {
    String out = options.apply(new Helm(dir()).template().withName(RELEASE).withNamespace("rdsflow").withKubeVersion(KUBE_VERSION)).call();
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(out)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  /** The one manifest of {@code kind} (and, when not null, {@code name}); fails unless exactly one. */
  static JsonNode only(List<JsonNode> docs, String kind, String name) {
    List<JsonNode> found = docs.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .filter(d -> name == null || name.equals(d.path("metadata").path("name").asText()))
        .toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + (name == null ? "" : " " + name) + ", found " + found.size());
    }
    return found.get(0);
  }

  /** {@code helm lint --strict} of the chart with its own values.yaml. */
  static LintResult lint() {
    return new Helm(dir()).lint().strict().call();
  }

  /** {@code helm lint --strict} of a copy of the chart in {@code scratch} whose values are the defaults merged with {@code values}. */
  static LintResult lintWith(Path values, Path scratch) throws IOException {
    Path copy = scratch.resolve("rdsflow");
    try (Stream<Path> files = Files.walk(dir())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(dir().relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    JsonNode merged = merge(YAML.readTree(dir().resolve("values.yaml").toFile()), YAML.readTree(values.toFile()));
    YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
    return new Helm(copy).lint().strict().call();
  }

  /** Helm's merge of values: maps merge key by key, anything else in {@code over} replaces what is in {@code base}. */
  static JsonNode merge(JsonNode base, JsonNode over) {
    if (!(base instanceof ObjectNode b) || !over.isObject()) {
      return over;
    }
    ObjectNode out = b.deepCopy();
    for (Map.Entry<String, JsonNode> e : over.properties()) {
      JsonNode mine = out.get(e.getKey());
      out.set(e.getKey(), mine == null ? e.getValue() : merge(mine, e.getValue()));
    }
    return out;
  }
}

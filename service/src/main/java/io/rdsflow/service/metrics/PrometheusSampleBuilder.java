package io.rdsflow.service.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.CustomMappingSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import io.rdsflow.activities.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dropwizard names → Prometheus samples. {@code rds.*} and {@code rdsflow.*} go through the
 * {@link MetricRules} mapping rules (label values decoded, the {@code extra} segment expanded into
 * labels); every other name (JVM, Jetty, pools) is made snake_case, which promtool requires.
 */
public final class PrometheusSampleBuilder implements SampleBuilder {
  static final String EXTRA = "rds_extra";
  private static final int MAX_CACHED = 500_000;
  private static final java.util.regex.Pattern INVALID_LABEL_CHARS = java.util.regex.Pattern.compile("[^a-zA-Z0-9_]");

  private final SampleBuilder rds = new CustomMappingSampleBuilder(List.of(MetricRules.RDS));
  private final SampleBuilder service = new CustomMappingSampleBuilder(MetricRules.SERVICE);
  private final SampleBuilder other = new DefaultSampleBuilder();

  /** Mapped names and labels by Dropwizard name: they never change, only the values do. */
  private final Map<String, Collector.MetricFamilySamples.Sample> mapped = new ConcurrentHashMap<>();

  @Override
  public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix,
      List<String> additionalLabelNames, List<String> additionalLabelValues, double value) {
    String key = additionalLabelValues.isEmpty() ? dropwizardName + '\u0000' + nameSuffix
        : dropwizardName + '\u0000' + nameSuffix + '\u0000' + additionalLabelNames + additionalLabelValues;
    Collector.MetricFamilySamples.Sample template = mapped.get(key);
    if (template == null) {
      if (mapped.size() > MAX_CACHED) {
        mapped.clear();
      }
      template = map(dropwizardName, nameSuffix, additionalLabelNames, additionalLabelValues);
      mapped.put(key, template);
    }
    return new Collector.MetricFamilySamples.Sample(template.name, template.labelNames, template.labelValues, value);
  }

  private Collector.MetricFamilySamples.Sample map(String dropwizardName, String nameSuffix,
      List<String> additionalLabelNames, List<String> additionalLabelValues) {
    double value = 0;
    SampleBuilder builder = dropwizardName.startsWith("rds.") ? rds : dropwizardName.startsWith("rdsflow.") ? service : other;
    Collector.MetricFamilySamples.Sample s =
        builder.createSample(dropwizardName, nameSuffix, additionalLabelNames, additionalLabelValues, value);
    List<String> names = new ArrayList<>(s.labelNames.size() + 4);
    List<String> values = new ArrayList<>(s.labelNames.size() + 4);
    for (int i = 0; i < s.labelNames.size(); i++) {
      String n = s.labelNames.get(i);
      String v = s.labelValues.get(i);
      if (n.equals(EXTRA)) {
        expand(v, names, values);
      } else {
        names.add(n);
        values.add(MetricNames.decode(v));
      }
    }
    return new Collector.MetricFamilySamples.Sample(snake(s.name), names, values, s.value);
  }

  /** {@code k=v,k=v} → labels; names made valid, clashes with the fixed labels prefixed {@code label_}. */
  private static void expand(String extra, List<String> names, List<String> values) {
    if (extra.isEmpty()) {
      return;
    }
    for (String pair : extra.split(",")) {
      int eq = pair.indexOf('=');
      addLabel(MetricNames.decode(pair.substring(0, eq)), MetricNames.decode(pair.substring(eq + 1)), names, values);
    }
  }

  /** One more label: its name made valid, a clash with the labels before it prefixed {@code label_}. */
  static void addLabel(String rawName, String value, List<String> names, List<String> values) {
    String name = labelName(rawName);
    while (names.contains(name)) {
      name = "label_" + name;
    }
    names.add(name);
    values.add(value);
  }

  static String labelName(String raw) {
    String n = INVALID_LABEL_CHARS.matcher(raw).replaceAll("_");
    return n.isEmpty() || Character.isDigit(n.charAt(0)) || n.startsWith("__") ? "l_" + n : n;
  }

  static String snake(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    char prev = '_';
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        if (Character.isLowerCase(prev) || Character.isDigit(prev)) {
          out.append('_');
        }
        c = Character.toLowerCase(c);
      } else if (!Character.isLetterOrDigit(c)) {
        c = '_';
      }
      if (!(c == '_' && out.length() > 0 && out.charAt(out.length() - 1) == '_')) {
        out.append(c);
      }
      prev = name.charAt(i);
    }
    return out.toString();
  }
}

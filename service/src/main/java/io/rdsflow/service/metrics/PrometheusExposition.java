package io.rdsflow.service.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The Dropwizard registry in Prometheus text format, through {@link DropwizardCollector} (simpleclient_dropwizard's
 * conversions, same-named families merged in linear time), plus the JVM and process metrics of {@link JvmMetrics}.
 */
public final class PrometheusExposition {
  private final CollectorRegistry registry = new CollectorRegistry();

  public PrometheusExposition(MetricRegistry metrics) {
    registry.register(new DropwizardCollector(metrics, new PrometheusSampleBuilder()));
    JvmMetrics.register(registry);
  }

  public String scrape() throws IOException {
    StringWriter out = new StringWriter(64 * 1024);
    TextFormat.write004(out, registry.metricFamilySamples());
    return out.toString();
  }
}

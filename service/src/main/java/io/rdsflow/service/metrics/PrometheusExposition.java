package io.rdsflow.service.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.dropwizard.samplebuilder.MapperConfig;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

/** The Dropwizard registry in Prometheus text format, through simpleclient_dropwizard. */
public final class PrometheusExposition {
  private final CollectorRegistry registry = new CollectorRegistry();

  public PrometheusExposition(MetricRegistry metrics, List<MapperConfig> rules) {
    registry.register(new DropwizardExports(metrics, new SnakeCaseSampleBuilder(rules)));
  }

  public String scrape() throws IOException {
    StringWriter out = new StringWriter(64 * 1024);
    TextFormat.write004(out, registry.metricFamilySamples());
    return out.toString();
  }
}

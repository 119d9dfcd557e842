package io.rdsflow.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

/** The live part (the service's own series) is rendered at most once per LIVE_FOR_MILLIS, then anew. */
class PrometheusExpositionTest {
  @Test
  void liveSeriesAreRenderedAtMostOncePerSecond() throws Exception {
    MetricRegistry metrics = new MetricRegistry();
    metrics.counter("rdsflow.test.events").inc();
    PrometheusExposition exposition = new PrometheusExposition(metrics);
    PrometheusExposition.Body first = exposition.scrape(false);
    assertThat(exposition.scrape()).contains("rdsflow_test_events 1.0");

    metrics.counter("rdsflow.test.events").inc();
    assertThat(exposition.scrape(false).live()).as("the same rendering within the second").isSameAs(first.live());
    assertThat(exposition.scrape(true).live().toByteArray()).isEqualTo(first.live().gzip().toByteArray());

    Thread.sleep(PrometheusExposition.LIVE_FOR_MILLIS + 100);
    assertThat(exposition.scrape()).contains("rdsflow_test_events 2.0");
  }
}

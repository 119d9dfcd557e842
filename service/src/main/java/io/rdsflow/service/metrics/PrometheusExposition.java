package io.rdsflow.service.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code /metrics} in Prometheus text format, in two parts: the per-target series, rendered once per snapshot change
 * by {@link SnapshotPublisher} and served as the same bytes until the next; then the live part, rendered at most once
 * a second, which is small (a few hundred series) and changes all the time: the Dropwizard registry (the service's
 * {@code rdsflow_*}, Jetty, the metadata pool) through {@link DropwizardCollector}, and the JVM and process metrics of
 * {@link JvmMetrics}. The two parts have no family in common, so their concatenation is one valid exposition; gzipped,
 * it is two gzip members, which a gzip reader (Prometheus's, curl's, {@code GZIPInputStream}) reads as one stream.
 */
public final class PrometheusExposition {
  private final CollectorRegistry registry = new CollectorRegistry();
  /** How long the live part's rendering serves scrapes: the same second as the per-target part's re-check. */
  public static final long LIVE_FOR_MILLIS = 1000;

  private final SnapshotPublisher snapshots;
  private Live live;

  /** One scrape's body: the per-target bytes and the live bytes, both shared between scrapes. */
  public record Body(ByteChunks targets, ByteChunks live, boolean gzip) {
    public long length() {
      return targets.length() + live.length();
    }

    public void writeTo(java.io.OutputStream out) throws IOException {
      java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(out, 64 * 1024); // ~60k small pieces
      targets.writeTo(buffered);
      live.writeTo(buffered);
      buffered.flush();
    }
  }

  /** Only the live part (no per-target series). */
  public PrometheusExposition(MetricRegistry metrics) {
    this(metrics, null);
  }

  public PrometheusExposition(MetricRegistry metrics, SnapshotPublisher snapshots) {
    this.snapshots = snapshots;
    registry.register(new DropwizardCollector(metrics, new PrometheusSampleBuilder()));
    JvmMetrics.register(registry);
  }

  /** The body of one scrape, gzipped when the client accepts it. */
  public Body scrape(boolean gzip) throws IOException {
    SnapshotPublisher.Exposition targets = snapshots == null ? SnapshotPublisher.Exposition.EMPTY : snapshots.refresh();
    ByteChunks l = live().text();
    return gzip ? new Body(targets.text().gzip(), l.gzip(), true) : new Body(targets.text(), l, false);
  }

  /** The whole exposition as text; for tests and benchmarks. */
  public String scrape() throws IOException {
    Body b = scrape(false);
    return new String(b.targets().toByteArray(), StandardCharsets.UTF_8) + new String(b.live().toByteArray(), StandardCharsets.UTF_8);
  }

  /**
   * The live part, rendered at most once per {@link #LIVE_FOR_MILLIS}: scrapes within that time (Prometheus pairs, a
   * dashboard's burst) get the same bytes. Rendering it converts every Dropwizard timer's reservoir (a copy of 1028
   * samples each) and reads every thread's state; done per scrape, that was most of the service's garbage under
   * frequent scraping (bench/collection's JFR profile), and garbage is what grows a default JVM's heap.
   */
  private synchronized Live live() throws IOException {
    long now = System.nanoTime();
    if (live == null || now - live.renderedAt > LIVE_FOR_MILLIS * 1_000_000) {
      StringWriter w = new StringWriter(32 * 1024); // not an OutputStreamWriter: it wraps every small write in a CharBuffer
      TextFormat.write004(w, registry.metricFamilySamples());
      live = new Live(ByteChunks.of(w.toString().getBytes(StandardCharsets.UTF_8)), now);
    }
    return live;
  }

  /** The live part's text (gzipped by {@link ByteChunks#gzip}) and when it was rendered. */
  private record Live(ByteChunks text, long renderedAt) {}
}

package io.rdsflow.service.metrics;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.BufferPoolsExports;
import io.prometheus.client.hotspot.ClassLoadingExports;
import io.prometheus.client.hotspot.GarbageCollectorExports;
import io.prometheus.client.hotspot.MemoryAllocationExports;
import io.prometheus.client.hotspot.MemoryPoolsExports;
import io.prometheus.client.hotspot.StandardExports;
import io.prometheus.client.hotspot.ThreadExports;
import io.prometheus.client.hotspot.VersionInfoExports;
import java.util.List;

/**
 * JVM and process metrics under the names Prometheus dashboards know ({@code jvm_memory_bytes_used},
 * {@code jvm_threads_current}, {@code process_cpu_seconds_total}, ...): simpleclient_hotspot's
 * {@code DefaultExports} collectors. They replace Dropwizard's own JVM gauges ({@code jvm.*}, registered
 * by {@code Bootstrap.registerMetrics()}), which would come out as {@code jvm_threads_count},
 * {@code jvm_gc_*_count} and the like, names promtool rejects.
 */
public final class JvmMetrics {
  /** Dropwizard's JVM gauge sets: jvm.attribute, .buffers, .classloader, .filedescriptor, .gc, .memory, .threads. */
  public static final MetricFilter DROPWIZARD_JVM = (name, metric) -> name.startsWith("jvm.");

  private JvmMetrics() {}

  /** The collectors of {@code DefaultExports.register}, made once: the allocation one listens to every GC. */
  private static final class Collectors {
    static final List<Collector> ALL = List.of(new StandardExports(), new MemoryPoolsExports(),
        new MemoryAllocationExports(), new BufferPoolsExports(), new GarbageCollectorExports(), new ThreadExports(),
        new ClassLoadingExports(), new VersionInfoExports());
  }

  /** Registers the JVM and process collectors on a Prometheus registry. */
  public static void register(CollectorRegistry registry) {
    Collectors.ALL.forEach(registry::register);
  }

  /** Removes Dropwizard's JVM gauges from {@code metrics}: the hotspot collectors report the JVM instead. */
  public static void removeDropwizardGauges(MetricRegistry metrics) {
    metrics.removeMatching(DROPWIZARD_JVM);
  }
}

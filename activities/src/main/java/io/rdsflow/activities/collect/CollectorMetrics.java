package io.rdsflow.activities.collect;

import com.codahale.metrics.DefaultSettableGauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SettableGauge;
import io.rdsflow.activities.metrics.MetricNames;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-source success and duration, as mysqld_exporter's {@code mysql_exporter_collector_success}
 * and {@code mysql_exporter_collector_duration_seconds}: {@code rdsflow.collector.success.<source>}
 * (gauge, 1 or 0, the last scrape's) and {@code rdsflow.collector.duration.<source>} (timer), exposed
 * as {@code rdsflow_collector_success{collector}} and {@code rdsflow_collector_duration_seconds{collector}}.
 */
final class CollectorMetrics {
  static final String SUCCESS = "rdsflow.collector.success";
  static final String DURATION = "rdsflow.collector.duration";

  private CollectorMetrics() {}

  static void record(MetricRegistry metrics, List<JdbcSource.Outcome> outcomes) {
    for (JdbcSource.Outcome o : outcomes) {
      String segment = MetricNames.segment(o.source());
      @SuppressWarnings("unchecked")
      SettableGauge<Integer> success = (SettableGauge<Integer>) metrics.gauge(MetricRegistry.name(SUCCESS, segment),
          () -> new DefaultSettableGauge<>(0));
      success.setValue(o.success() ? 1 : 0);
      metrics.timer(MetricRegistry.name(DURATION, segment)).update(o.durationNanos(), TimeUnit.NANOSECONDS);
    }
  }
}

package io.rdsflow.service.metrics;

import io.prometheus.client.dropwizard.samplebuilder.MapperConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping rules from dotted Dropwizard names to Prometheus names with labels (DESIGN §7).
 * Segments were percent-encoded by {@code MetricNames.segment}, so dots in values do not split.
 */
public final class MetricRules {
  /**
   * Every per-instance series: {@code rds.<metric>.<instance_id>.<instance_name>.<engine>.<aliyun_uid>.<role>.<extra>},
   * where {@code extra} holds the series' own labels as {@code k=v,k=v}.
   */
  public static final MapperConfig RDS = rule("rds.*.*.*.*.*.*.*", "rds_${0}",
      "instance_id", "${1}", "instance_name", "${2}", "engine", "${3}", "aliyun_uid", "${4}", "role", "${5}",
      PrometheusSampleBuilder.EXTRA, "${6}");

  /** The service's own metrics. */
  public static final List<MapperConfig> SERVICE = List.of(
      rule("rdsflow.collection.duration.*", "rdsflow_collection_duration_seconds", "group", "${0}"),
      rule("rdsflow.collection.targets.*.*", "rdsflow_collection_targets", "group", "${0}", "result", "${1}"),
      rule("rdsflow.collector.success.*", "rdsflow_collector_success", "collector", "${0}"),
      rule("rdsflow.collector.duration.*", "rdsflow_collector_duration_seconds", "collector", "${0}"),
      rule("rdsflow.cloud.api.requests.*.*", "rdsflow_cloud_api_requests", "api", "${0}", "code", "${1}"),
      rule("rdsflow.cloud.api.throttled.*", "rdsflow_cloud_api_throttled", "api", "${0}"),
      rule("rdsflow.operations.*.*.*", "rdsflow_operations", "type", "${0}", "trigger", "${1}", "result", "${2}"),
      rule("rdsflow.operation.duration.*", "rdsflow_operation_duration_seconds", "type", "${0}"),
      rule("rdsflow.step.duration.*", "rdsflow_step_duration_seconds", "step", "${0}"),
      rule("rdsflow.steps.*.*", "rdsflow_steps", "step", "${0}", "result", "${1}"));

  private MetricRules() {}

  private static MapperConfig rule(String match, String name, String... labels) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return new MapperConfig(match, name, map);
  }
}

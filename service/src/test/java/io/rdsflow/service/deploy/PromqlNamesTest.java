package io.rdsflow.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names the live check compares: metric names only, not label values, variables, durations or functions. */
class PromqlNamesTest {
  @Test
  void metricNamesOfAnExpressionWithMatchersVariablesAndDurations() {
    String expr = "sum by (api) (rate(rdsflow_cloud_api_requests_total{code!=\"200\", api=~\"rds_fake_.*\"}[$__rate_interval]))"
        + " / on (instance) rds_max_connections{instance_id=\"$instance_id\"} offset 15m"
        + " or rdsflow:operations:increase15m and up offset 5m unless jvm_memory_bytes_used{area='heap'}";
    assertThat(PromqlNames.metricNames(expr))
        .containsExactlyInAnyOrder("rdsflow_cloud_api_requests_total", "rds_max_connections", "jvm_memory_bytes_used");
    assertThat(PromqlNames.recordingRules(expr)).containsExactly("rdsflow:operations:increase15m");
  }

  @Test
  void grafanaVariablesAreNotNames() {
    assertThat(PromqlNames.metricNames("label_values(rds_up, instance_id)")).containsExactly("rds_up");
    assertThat(PromqlNames.metricNames("${rds_var} + $rds_other + [[rds_old]] + process_resident_memory_bytes"))
        .containsExactly("process_resident_memory_bytes");
  }
}

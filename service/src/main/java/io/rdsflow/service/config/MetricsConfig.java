package io.rdsflow.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code prometheus.*} (Dropwizard owns {@code metrics.*}): Basic auth on {@code /metrics} when both values are set;
 * the mysqld_exporter-compatible names beside the {@code rds_*} ones.
 */
public class MetricsConfig {
  @JsonProperty public String basicAuthUser = "";
  @JsonProperty public String basicAuthPassword = "";
  /**
   * {@code prometheus.mysqldExporterNames} ({@code PROMETHEUS_MYSQLD_EXPORTER_NAMES}): also publish the per-target
   * series under mysqld_exporter's names ({@link io.rdsflow.service.metrics.MysqldExporterNames}). On by default so
   * that mysqld-mixin alerts and existing dashboards work on the first day; it costs about twice the per-target series.
   */
  @JsonProperty public boolean mysqldExporterNames = true;

  public boolean basicAuth() {
    return basicAuthUser != null && !basicAuthUser.isBlank() && basicAuthPassword != null && !basicAuthPassword.isBlank();
  }

  @Override
  public String toString() {
    return "MetricsConfig[basicAuth=" + basicAuth() + ", mysqldExporterNames=" + mysqldExporterNames + "]";
  }
}

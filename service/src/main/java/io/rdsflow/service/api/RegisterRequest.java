package io.rdsflow.service.api;

import java.util.Map;

/**
 * {@code POST /v1/instances/register}: put an instance rdsflow did not create under monitoring.
 * {@code engine: external} with host, port, user, password; {@code engine: aliyun} with aliyunUid and
 * instanceId. Name, labels and the collector switches ({@code {"processlist": false}}, seed 001) for both.
 */
public record RegisterRequest(String engine, String name, Map<String, String> labels, String host, Integer port,
    String user, String password, String aliyunUid, String instanceId, Map<String, Boolean> collectors) {
  @Override
  public String toString() {
    return "RegisterRequest[" + engine + ", " + name + "]";
  }
}

package io.rdsflow.activities.collect;

import java.util.Map;

/**
 * Something to collect: one node of an instance. JDBC targets carry the address and the monitor
 * account (password as ciphertext); DAS targets carry the cloud instance id ({@code rm-...}).
 */
public record Target(String id, String group, String instanceId, String instanceName, String engine, String aliyunUid,
    String role, String host, int port, String user, String encryptedPassword, Map<String, String> labels, String cloudId) {

  public boolean viaDas() {
    return "aliyun".equals(engine);
  }

  /** The labels every series of this target carries (DESIGN §7). */
  public Map<String, String> identity() {
    return Map.of("instance_id", instanceId, "instance_name", instanceName, "engine", engine,
        "aliyun_uid", aliyunUid == null ? "" : aliyunUid, "role", role);
  }

  @Override
  public String toString() {
    return "Target[" + id + "]";
  }
}

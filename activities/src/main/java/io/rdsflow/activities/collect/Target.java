package io.rdsflow.activities.collect;

import java.util.Map;
import java.util.Set;

/**
 * Something to collect: one node of an instance. JDBC targets carry the address and the monitor
 * account (password as ciphertext); DAS targets carry the cloud instance id ({@code rm-...}). Both carry
 * the instance's collectors switched off ({@link Collectors}) and the scrape errors counted so far
 * ({@code rds_scrape_errors_total}, from the last snapshot, whichever server wrote it).
 */
public record Target(String id, String group, String instanceId, String instanceName, String engine, String aliyunUid,
    String role, String host, int port, String user, String encryptedPassword, Map<String, String> labels, String cloudId,
    String customUser, String customEncryptedPassword, Set<String> disabledCollectors, Map<String, Long> scrapeErrors) {

  public Target {
    disabledCollectors = disabledCollectors == null ? Set.of() : Set.copyOf(disabledCollectors);
    scrapeErrors = scrapeErrors == null ? Map.of() : Map.copyOf(scrapeErrors);
  }

  /** Every collector on, no error counted yet. */
  public Target(String id, String group, String instanceId, String instanceName, String engine, String aliyunUid,
      String role, String host, int port, String user, String encryptedPassword, Map<String, String> labels, String cloudId,
      String customUser, String customEncryptedPassword) {
    this(id, group, instanceId, instanceName, engine, aliyunUid, role, host, port, user, encryptedPassword, labels, cloudId,
        customUser, customEncryptedPassword, Set.of(), Map.of());
  }

  public boolean collects(String collector) {
    return !disabledCollectors.contains(collector);
  }

  /**
   * The account custom SQL metrics run as: on local instances rdsflow's least-privilege
   * {@code rdsflow_custom} (null when the instance predates it), on external ones the registered user
   * (checked for FILE/SUPER and access to {@code mysql.user} before each use), none for DAS.
   */
  public boolean hasCustomAccount() {
    return customUser != null && customEncryptedPassword != null;
  }

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

package io.rdsflow.activities.meta;

import io.rdsflow.workflows.domain.Role;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Where an instance's proxy listens: its host and the ports allocated to {@code writer} and {@code reader}. */
public final class ProxyDao {
  /** The proxy of an instance. */
  public record Proxy(String host, int writerPort, int readerPort) {}

  private final Jdbi jdbi;

  public ProxyDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Empty for an instance without a proxy (single-node releases before it, aliyun, external). */
  public Optional<Proxy> find(String instanceId) {
    Map<String, Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery(
            "SELECT role, host, port FROM port_allocations WHERE ins_id = :i AND role IN ('writer', 'reader')")
        .bind("i", instanceId).mapToMap().list()).stream()
        .collect(Collectors.toMap(r -> (String) r.get("role"), r -> r));
    Map<String, Object> w = rows.get(Role.WRITER.wire());
    Map<String, Object> r = rows.get(Role.READER.wire());
    if (w == null || r == null) {
      return Optional.empty();
    }
    return Optional.of(new Proxy((String) w.get("host"), ((Number) w.get("port")).intValue(), ((Number) r.get("port")).intValue()));
  }
}

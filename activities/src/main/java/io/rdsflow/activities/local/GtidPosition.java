package io.rdsflow.activities.local;

import java.util.HashMap;
import java.util.Map;

/** A MariaDB GTID position ({@code domain-server-seq,...}): per domain the last sequence number. */
public record GtidPosition(Map<Long, Long> lastSeqByDomain) {
  public static GtidPosition parse(String position) {
    Map<Long, Long> m = new HashMap<>();
    if (position != null) {
      for (String gtid : position.split(",")) {
        String[] parts = gtid.trim().split("-");
        if (parts.length == 3) {
          m.merge(Long.parseLong(parts[0]), Long.parseLong(parts[2]), Math::max);
        }
      }
    }
    return new GtidPosition(m);
  }

  /** True when this position has reached {@code other} in every domain of {@code other}. */
  public boolean covers(GtidPosition other) {
    return other.lastSeqByDomain.entrySet().stream()
        .allMatch(e -> lastSeqByDomain.getOrDefault(e.getKey(), -1L) >= e.getValue());
  }
}

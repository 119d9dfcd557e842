package io.rdsflow.workflows.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** When the next daily backup is due: the next {@code HH:mm} (UTC) strictly after now. Pure: the workflow passes its clock. */
public final class BackupTimes {
  private BackupTimes() {}

  public static Duration untilNext(long nowMillis, String preferredTime) {
    ZonedDateTime now = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC);
    ZonedDateTime next = now.with(LocalTime.parse(preferredTime.length() > 5 ? preferredTime.substring(0, 5) : preferredTime));
    if (!next.isAfter(now)) {
      next = next.plusDays(1);
    }
    return Duration.between(now, next);
  }
}

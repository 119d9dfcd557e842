package io.rdsflow.activities.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/** Loads the system's zoneinfo into the server's time zone tables with {@code mariadb-tzinfo-to-sql}. */
public final class TimeZones {
  public static final Path ZONEINFO = Path.of("/usr/share/zoneinfo");

  private TimeZones() {}

  /** @return the number of zones loaded */
  public static int load(Path tool, Connection c, Runnable heartbeat) throws IOException, SQLException, InterruptedException {
    Process p = new ProcessBuilder(tool.toString(), ZONEINFO.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(tool + " failed with exit " + p.exitValue());
    }
    heartbeat.run();
    String sql = new String(out, StandardCharsets.UTF_8);
    try (Statement s = c.createStatement()) {
      s.execute("USE mysql");
      s.execute(sql);
      while (s.getMoreResults() || s.getUpdateCount() != -1) {
        // drain the results of the multi-statement script
      }
    }
    heartbeat.run();
    return count(c);
  }

  /** The number of named time zones the server knows. */
  public static int count(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM mysql.time_zone_name")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  public static boolean available() {
    return Files.isDirectory(ZONEINFO);
  }
}

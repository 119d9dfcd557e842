package io.rdsflow.activities.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The resource limits of a node: open files, sized for its max_connections. Applied to the running
 * process with {@code prlimit} and persisted for the start script.
 */
public final class ResourceLimits {
  private ResourceLimits() {}

  public static long openFiles(int maxConnections) {
    return Math.max(65_535L, maxConnections * 4L + 1024);
  }

  /**
   * Sets the soft RLIMIT_NOFILE of the process to {@code nofile}, capped at its hard limit (raising
   * the hard limit needs CAP_SYS_RESOURCE); returns what the process then has.
   */
  public static String apply(long pid, long nofile) throws IOException, InterruptedException {
    long hard = hardLimit(pid);
    long soft = Math.min(nofile, hard);
    run("prlimit", "--pid", Long.toString(pid), "--nofile=" + soft + ":" + hard);
    String now = run("prlimit", "--pid", Long.toString(pid), "--nofile", "--noheadings", "--output", "SOFT,HARD").trim()
        .replaceAll("\\s+", " ");
    return now + (soft < nofile ? " (wanted " + nofile + ", capped at the hard limit)" : "");
  }

  static long hardLimit(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
      if (line.startsWith("Max open files")) {
        String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
        return hard.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(hard);
      }
    }
    throw new IOException("no open-files limit in /proc/" + pid + "/limits");
  }

  public static void persist(Path home, long nofile) throws IOException {
    Files.writeString(home.resolve(InitScript.RESOURCE_FILE), "# written by rdsflow (do_persist_resource_config)\nNOFILE=" + nofile + "\n");
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
    }
    return out;
  }
}

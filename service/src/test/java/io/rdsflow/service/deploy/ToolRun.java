package io.rdsflow.service.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of a command-line checker (promtool, docker-compose): its exit code and what it printed. */
record ToolRun(List<String> command, int exit, String output) {
  /**
   * Runs {@code command} in {@code dir} with the test's environment changed by {@code env} (a null value
   * removes the variable); stdout and stderr together. A run longer than two minutes fails the test.
   */
  static ToolRun run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 2 minutes: " + out);
    }
    return new ToolRun(command, p.exitValue(), out);
  }

  @Override
  public String toString() {
    return String.join(" ", command) + " exited " + exit + ":\n" + output;
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code promtool check metrics} on an exposition. Required under CI (.ci/install-deps installs it);
 * on a developer machine without promtool the lint is skipped.
 */
final class Promtool {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  private Promtool() {}

  static void assertAccepts(String exposition, Path workDir) throws Exception {
    if (!Files.isExecutable(PROMTOOL) && System.getenv("CI") == null) {
      return;
    }
    Path file = Files.createTempFile(workDir, "metrics-", ".txt");
    Files.writeString(file, exposition);
    Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
        .redirectInput(file.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("promtool check metrics").isEmpty();
    assertThat(p.exitValue()).isZero();
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;

/**
 * {@code promtool check metrics} on an exposition. Never skipped: without promtool (on PATH or in
 * /usr/bin) the test fails; {@code bash .ci/install-deps} installs it (Debian package prometheus).
 * Public for the rule checks of {@code io.rdsflow.service.deploy}.
 */
public final class Promtool {
  private Promtool() {}

  static final Path USR_BIN = Path.of("/usr/bin/promtool");
  static final String MISSING =
      "promtool not found on PATH or in /usr/bin: the /metrics lint cannot run; `bash .ci/install-deps` installs it";

  /** promtool in a directory of {@code pathEnv} (a PATH value, may be null), else {@code fallback}. */
  static Optional<Path> find(String pathEnv, Path fallback) {
    List<Path> candidates = new ArrayList<>();
    if (pathEnv != null) {
      for (String dir : pathEnv.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "promtool"));
        }
      }
    }
    candidates.add(fallback);
    return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }

  /** The promtool of this machine; fails the test when there is none. */
  public static Path require() {
    return require(System.getenv("PATH"), USR_BIN);
  }

  static Path require(String pathEnv, Path fallback) {
    return find(pathEnv, fallback).orElseGet(() -> Assertions.fail(MISSING));
  }

  static void assertAccepts(String exposition, Path workDir) throws Exception {
    Path promtool = require();
    Path file = Files.createTempFile(workDir, "metrics-", ".txt");
    Files.writeString(file, exposition);
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
        .redirectInput(file.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("promtool check metrics").isEmpty();
    assertThat(p.exitValue()).isZero();
  }
}

package io.rdsflow.service.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the deployment files live: the repository root (found from the test's working directory, the
 * service module under Maven) and the files under {@code deploy/} the tests check.
 */
final class DeployFiles {
  private DeployFiles() {}

  /** The directory holding {@code docker-compose.yml} and {@code deploy/}: the working directory or one of its parents. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("deploy"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no docker-compose.yml with deploy/ beside it above " + Path.of("").toAbsolutePath());
  }

  static Path rules() {
    return root().resolve("deploy/prometheus/rdsflow-rules.yml");
  }

  static Path ruleTests() {
    return root().resolve("deploy/prometheus/tests");
  }

  static Path prometheusConfig() {
    return root().resolve("deploy/prometheus/prometheus.yml");
  }

  static Path dashboards() {
    return root().resolve("deploy/grafana/dashboards");
  }
}

package io.rdsflow.service.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The environment variables the service reads: those of the built-in configuration
 * ({@code ${NAME:-default}} in rdsflow-default.yml) and the secrets read directly (SecurityConfig). The
 * chart and the systemd environment file set only these, so a renamed setting fails their tests.
 */
final class ServiceEnvironment {
  private final String defaults;
  private final String security;

  private ServiceEnvironment(String defaults, String security) {
    this.defaults = defaults;
    this.security = security;
  }

  static ServiceEnvironment load() throws IOException {
    Path main = DeployFiles.root().resolve("service/src/main");
    return new ServiceEnvironment(Files.readString(main.resolve("resources/rdsflow-default.yml")),
        Files.readString(main.resolve("java/io/rdsflow/service/config/SecurityConfig.java")));
  }

  boolean reads(String name) {
    return Pattern.compile("\\$\\{" + Pattern.quote(name) + ":-").matcher(defaults).find()
        || security.contains("getenv(\"" + name + "\")");
  }
}

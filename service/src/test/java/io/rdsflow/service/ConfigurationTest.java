package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rdsflow.service.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration sources: the built-in file when none is named; a bad file names the bad key. */
class ConfigurationTest {
  @TempDir Path dir;

  @Test
  void builtInConfigurationIsAddedOnlyWhenNoFileIsNamed() {
    assertThat(ConfigSource.withDefaultFile(new String[] {"server"})).containsExactly("server", ConfigSource.DEFAULT);
    assertThat(ConfigSource.withDefaultFile(new String[] {"db", "migrate"}))
        .containsExactly("db", "migrate", ConfigSource.DEFAULT);
    assertThat(ConfigSource.withDefaultFile(new String[] {"server", "my.yml"})).containsExactly("server", "my.yml");
    assertThat(ConfigSource.withDefaultFile(new String[] {"--version"})).containsExactly("--version");
  }

  @Test
  void aBadConfigFileStopsStartUpNamingTheKey() throws Exception {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(bad, "temporal:\n  namespce: prod\n");
    assertThatThrownBy(() -> check(bad)).hasMessageContaining("temporal.namespce");
    Path badValue = dir.resolve("bad-value.yml");
    Files.writeString(badValue, "localEngine:\n  portRange: lots\n");
    assertThatThrownBy(() -> check(badValue)).hasMessageContaining("localEngine.portRange");
  }

  @Test
  void environmentVariablesReachTheBuiltInConfiguration() throws Exception {
    Map<String, String> env = System.getenv();
    String text = new String(ConfigSource.withSubstitution().open(ConfigSource.DEFAULT).readAllBytes());
    assertThat(text).doesNotContain("${");
    assertThat(text).contains("port: " + env.getOrDefault("RDSFLOW_HTTP_PORT", "8080"));
  }

  private static void check(Path file) throws Exception {
    RdsflowApplication app = new RdsflowApplication() {
      @Override
      protected void onFatalError(Throwable t) {
        throw new IllegalStateException(t.getMessage(), t);
      }
    };
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    try {
      app.run("check", file.toString());
    } catch (IllegalStateException e) {
      throw new IllegalStateException(err.toString() + " " + e.getMessage(), e);
    } finally {
      System.setErr(old);
    }
    throw new IllegalStateException("accepted: " + err);
  }
}

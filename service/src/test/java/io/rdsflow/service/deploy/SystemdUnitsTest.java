package io.rdsflow.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/systemd: the server and agent units pass {@code systemd-analyze verify} without a word (it
 * checks keys, values and that ExecStart's binary, Debian's /usr/bin/java, exists), keep their secrets in
 * the environment file, restart on failure, raise the open-files limit and leave the instances' database
 * servers running when they stop. Never skipped: systemd-analyze is part of Debian's systemd package,
 * which this machine kind ships.
 */
class SystemdUnitsTest {
  static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

  static Path units() {
    return DeployFiles.root().resolve("deploy/systemd");
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "agent"})
  void unitPassesSystemdAnalyzeVerifySilently(String command) throws Exception {
    ToolRun run = verify(units().resolve("rdsflow-" + command + ".service"));
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.output()).as(run.toString()).isBlank();
  }

  /** The check above can fail: verify speaks up for an unknown key and fails for a missing binary. */
  @Test
  void verifyCatchesAMistypedKeyAndAMissingBinary(@TempDir Path dir) throws Exception {
    String unit = Files.readString(units().resolve("rdsflow-server.service"));
    Path typo = Files.writeString(dir.resolve("typo.service"), unit.replace("Restart=on-failure", "Restartt=on-failure"));
    Path missing = Files.writeString(dir.resolve("missing.service"), unit.replace("/usr/bin/java ", "/opt/no-such-jdk/bin/java "));

    assertThat(verify(typo).output()).contains("Unknown key 'Restartt'");
    ToolRun run = verify(missing);
    assertThat(run.exit()).isNotZero();
    assertThat(run.output()).contains("/opt/no-such-jdk/bin/java");
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "agent"})
  void unitRunsTheJarAsItsOwnUserWithSecretsFromTheEnvironmentFile(String command) throws Exception {
    String unit = Files.readString(units().resolve("rdsflow-" + command + ".service"));
    Map<String, String> service = section(unit, "Service");

    assertThat(service.get("ExecStart")).startsWith("/usr/bin/java ").endsWith("-jar /opt/rdsflow/rdsflow.jar " + command);
    assertThat(service.get("EnvironmentFile")).isEqualTo("/etc/rdsflow/rdsflow.env");
    assertThat(service.get("User")).isEqualTo("rdsflow");
    assertThat(service.get("Restart")).isEqualTo("on-failure");
    assertThat(Integer.parseInt(service.get("LimitNOFILE"))).isGreaterThanOrEqualTo(65536);
    assertThat(service.get("KillMode")).as("a restart must not stop the instances' servers").isEqualTo("process");
    assertThat(service.get("SuccessExitStatus")).isEqualTo("143");
    assertThat(unit.lines().filter(l -> l.startsWith("Environment="))).noneMatch(l -> l.contains("PASSWORD"));
  }

  /** Every variable the example environment file names, set or commented out, is one the service reads. */
  @Test
  void exampleEnvironmentFileNamesOnlyVariablesTheServiceReads() throws Exception {
    ServiceEnvironment service = ServiceEnvironment.load();
    Matcher m = Pattern.compile("(?m)^#?([A-Z][A-Z0-9_]+)=").matcher(Files.readString(units().resolve("rdsflow.env.example")));
    List<String> names = m.results().map(r -> r.group(1)).toList();

    assertThat(names).contains("TEMPORAL_TARGET", "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
        "ENCRYPTION_PASSWORD", "RDSFLOW_ADMIN_PASSWORD", "LOCAL_ENGINE_BIND_ADDRESS");
    assertThat(names).allSatisfy(name -> assertThat(service.reads(name)).as(name + " read by the service").isTrue());
  }

  private static ToolRun verify(Path unit) throws Exception {
    assertThat(SYSTEMD_ANALYZE).as("systemd-analyze (Debian package systemd) is needed").isExecutable();
    return ToolRun.run(unit.getParent(), Map.of(), List.of(SYSTEMD_ANALYZE.toString(), "verify", unit.toString()));
  }

  /** The keys of one [section] of a unit file (the last value of a repeated key). */
  private static Map<String, String> section(String unit, String name) {
    Map<String, String> keys = new LinkedHashMap<>();
    String current = null;
    for (String line : unit.split("\n")) {
      String l = line.strip();
      if (l.startsWith("[")) {
        current = l.substring(1, l.length() - 1);
      } else if (name.equals(current) && !l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
        keys.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
      }
    }
    return keys;
  }
}

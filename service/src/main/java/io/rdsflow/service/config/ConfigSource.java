package io.rdsflow.service.config;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where configuration comes from: a file named on the command line, else the built-in
 * {@code rdsflow-default.yml}; both with {@code ${ENV_VAR:-default}} substitution.
 */
public final class ConfigSource implements ConfigurationSourceProvider {
  public static final String DEFAULT = "classpath:rdsflow-default.yml";
  private static final Set<String> CONFIGURED_COMMANDS = Set.of("server", "agent", "temporal", "db", "rekey", "check");

  public static ConfigurationSourceProvider withSubstitution() {
    return new SubstitutingSourceProvider(new ConfigSource(), new EnvironmentVariableSubstitutor(false));
  }

  /** Appends the built-in configuration to a command that names no file. */
  public static String[] withDefaultFile(String[] args) {
    if (args.length == 0 || !CONFIGURED_COMMANDS.contains(args[0])) {
      return args;
    }
    for (String a : args) {
      if (a.endsWith(".yml") || a.endsWith(".yaml") || a.endsWith(".json") || a.equals("-h") || a.equals("--help")) {
        return args;
      }
    }
    List<String> out = new ArrayList<>(List.of(args));
    out.add(DEFAULT);
    return out.toArray(String[]::new);
  }

  @Override
  public InputStream open(String path) throws IOException {
    if (path.startsWith("classpath:")) {
      InputStream in = ConfigSource.class.getClassLoader().getResourceAsStream(path.substring("classpath:".length()));
      if (in == null) {
        throw new FileNotFoundException(path);
      }
      return in;
    }
    return new FileInputStream(path);
  }
}

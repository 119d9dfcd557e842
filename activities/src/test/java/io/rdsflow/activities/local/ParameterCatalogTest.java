package io.rdsflow.activities.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API stores {@link ParameterCatalog#normalize} output and {@code do_build_params} uses it as it is:
 * that is only the same as normalising again if normalising a normalised value changes nothing.
 */
class ParameterCatalogTest {
  private static final List<String> SAMPLES = List.of("0", "1", "2", "10", "500", "4294967295", "1k", "8M", "16m", "1G", "2g",
      "256G", " 64M ", "on", "ON", "Off", "utf8MB4", "latin1", "read-committed", "SERIALIZABLE", "x", "-1", "1.5", "");

  @Test
  void normalizingANormalizedValueChangesNothing() {
    int normalized = 0;
    for (String name : ParameterCatalog.names()) {
      for (String sample : SAMPLES) {
        ParameterCatalog.Normalized once = ParameterCatalog.normalize(name, sample);
        if (!once.valid()) {
          continue;
        }
        normalized++;
        ParameterCatalog.Normalized twice = ParameterCatalog.normalize(name, once.value());
        assertThat(twice.valid()).as(name + "=" + sample).isTrue();
        assertThat(twice.value()).as(name + "=" + sample).isEqualTo(once.value());
      }
    }
    assertThat(normalized).isGreaterThan(ParameterCatalog.names().size());
  }

  @Test
  void templateValuesAreNormalized() {
    ParameterCatalog.template().forEach((name, value) ->
        assertThat(ParameterCatalog.normalize(name, value).value()).as(name).isEqualTo(value));
  }
}

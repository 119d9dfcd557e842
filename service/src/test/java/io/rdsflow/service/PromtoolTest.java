package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /metrics lint never skips: promtool runs and rejects a bad exposition, or the test fails saying how to get it. */
class PromtoolTest {
  @TempDir Path dir;

  @Test
  void rejectsAnExpositionPromtoolComplainsAbout() {
    assertThatThrownBy(() -> Promtool.assertAccepts("# HELP jvm_threads_count Threads.\n# TYPE jvm_threads_count gauge\n"
        + "jvm_threads_count 42\n", dir))
        .isInstanceOf(AssertionError.class).hasMessageContaining("non-histogram and non-summary metrics should not have");
  }

  @Test
  void acceptsACleanExposition() throws Exception {
    Promtool.assertAccepts("# HELP rdsflow_things_total Things.\n# TYPE rdsflow_things_total counter\n"
        + "rdsflow_things_total 3.0\n", dir);
  }

  @Test
  void isFoundOnThePathOrInUsrBinAndItsAbsenceIsAFailureNamingTheInstaller() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fake = Files.createFile(bin.resolve("promtool"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path nowhere = dir.resolve("usr-bin-promtool");
    assertThat(Promtool.find(dir.resolve("empty") + File.pathSeparator + bin, nowhere)).contains(fake);
    assertThat(Promtool.find(dir.resolve("empty").toString(), fake)).contains(fake);
    assertThat(Promtool.find(null, nowhere)).isEmpty();
    assertThatThrownBy(() -> Promtool.require(dir.resolve("empty").toString(), nowhere))
        .isInstanceOf(AssertionError.class).hasMessageContaining("bash .ci/install-deps");
  }
}

package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.workflows.collect.RoundSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every target of a round ends ok or failed, once; an interrupted one is failed as interrupted. */
class RoundTallyTest {
  @Test
  void aTargetThatNeverEndedIsFailedAsInterrupted() {
    RoundTally tally = new RoundTally(List.of("t1", "t2", "t3", "t4"));
    assertThat(tally.ok("t1")).isTrue();
    assertThat(tally.fail("t2", "Connection refused")).isTrue();
    assertThat(tally.fail("t3", RoundTally.INTERRUPTED)).isTrue();
    assertThat(tally.open()).containsExactly("t4");

    RoundSummary s = tally.summary("local", 7, 1000, 250, Map.of());
    assertThat(s.ok()).isEqualTo(1);
    assertThat(s.failed()).isEqualTo(3);
    assertThat(s.ok() + s.failed()).isEqualTo(4);
    assertThat(s.errors()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "t2", "Connection refused", "t3", "interrupted", "t4", "interrupted"));
  }

  @Test
  void theFirstEndCountsAndTheOthersAreIgnored() {
    RoundTally tally = new RoundTally(List.of("t1", "t2"));
    assertThat(tally.fail("t1", "timed out after 5000 ms")).isTrue();
    assertThat(tally.fail("t1", RoundTally.INTERRUPTED)).isFalse(); // its collector, interrupted after the timeout
    assertThat(tally.ok("t1")).isFalse();
    assertThat(tally.ok("t2")).isTrue();
    assertThat(tally.fail("t2", "late")).isFalse();

    RoundSummary s = tally.summary("local", 1, 0, 10, Map.of());
    assertThat(s.ok()).isEqualTo(1);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.errors()).containsExactly(Map.entry("t1", "timed out after 5000 ms"));
  }

  @Test
  void aFailingCustomMetricIsReportedUnlessItsTargetFailed() {
    RoundTally tally = new RoundTally(List.of("t1", "t2"));
    tally.ok("t1");
    RoundSummary s = tally.summary("local", 1, 0, 10, Map.of("t1 custom_orders", "syntax error", "t2 custom_orders", "syntax error"));
    assertThat(s.ok()).isEqualTo(1);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.errors()).containsExactlyInAnyOrderEntriesOf(Map.of("t1 custom_orders", "syntax error", "t2", "interrupted"));
  }
}

package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rdsflow.activities.meta.StepDao;
import io.rdsflow.testkit.TestDatabase;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.TaskStatus;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.StepStatus;
import io.rdsflow.workflows.steps.Target;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code task_steps} rows after a compensation tell what was undone: COMPENSATED only when the cleanup
 * removed everything; after an incomplete cleanup the succeeded steps stay SUCCEEDED saying they were not
 * compensated and why. A step still running is FAILED as interrupted either way.
 */
class StepRecordsTest {
  private static Jdbi jdbi;
  private static StepDao steps;

  @BeforeAll
  static void schema() {
    TestDatabase db = TestDatabase.get();
    String url = db.newSchema("step_records");
    Flyway.configure().dataSource(url, db.user(), db.password()).locations("classpath:db/migration").load().migrate();
    jdbi = Jdbi.create(url, db.user(), db.password());
    steps = new StepDao(jdbi);
  }

  /** A task of four rows: do_init SUCCEEDED, do_make_dir (master) SUCCEEDED, do_make_dir (slave) RUNNING, a SKIPPED row. */
  private static String task(String workflowId) {
    List<PlannedStep> plan = List.of(
        new PlannedStep(1, 1, "do_init", Role.INSTANCE, Target.CONTROL, null),
        new PlannedStep(2, 2, "do_make_dir", Role.MASTER, Target.MASTER_HOST, null),
        new PlannedStep(3, 2, "do_make_dir", Role.SLAVE, Target.SLAVE_HOST, null),
        new PlannedStep(4, 3, "do_add_aurora", Role.INSTANCE, Target.NONE, "cloud only"));
    jdbi.useTransaction(h -> StepDao.insertTask(h, workflowId, "rl-" + workflowId, "create", plan));
    steps.markRunning(workflowId, 1, 1);
    steps.markFinished(workflowId, 1, StepStatus.SUCCEEDED, "placed master=h1:3307");
    steps.markRunning(workflowId, 2, 1);
    steps.markFinished(workflowId, 2, StepStatus.SUCCEEDED, null);
    steps.markRunning(workflowId, 3, 2);
    return workflowId;
  }

  private static Map<Integer, String> statuses(String workflowId) {
    return steps.steps(workflowId).stream().collect(Collectors.toMap(StepDao.StepRow::seq, s -> s.status() + ": " + s.message()));
  }

  @Test
  void rowsReadBackAsTheDomainValuesAndAreStoredAsTheirStrings() {
    String w = task("create-typed");
    assertThat(steps.steps(w)).extracting(StepDao.StepRow::role).containsExactly(Role.INSTANCE, Role.MASTER, Role.SLAVE, Role.INSTANCE);
    assertThat(steps.steps(w)).extracting(StepDao.StepRow::status)
        .containsExactly(StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.RUNNING, StepStatus.SKIPPED);
    assertThat(steps.latestTask("rl-" + w, "create").orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(steps.running()).extracting(StepDao.Task::workflowId).contains(w);
    List<String> stored = jdbi.withHandle(h -> h.createQuery("SELECT role FROM task_steps WHERE workflow_id = :w ORDER BY seq")
        .bind("w", w).mapTo(String.class).list());
    assertThat(stored).containsExactly("instance", "master", "slave", "instance");
    steps.setTaskStatus(w, TaskStatus.FAILED, "do_make_dir failed");
    assertThat(steps.running()).extracting(StepDao.Task::workflowId).doesNotContain(w);
  }

  @Test
  void aCompleteCleanupMarksTheSucceededStepsCompensated() {
    String w = task("create-complete");
    steps.markCompensated(w);
    assertThat(statuses(w)).containsExactlyInAnyOrderEntriesOf(Map.of(
        1, "COMPENSATED: placed master=h1:3307",
        2, "COMPENSATED: null",
        3, "FAILED: interrupted",
        4, "SKIPPED: cloud only"));
  }

  @Test
  void anIncompleteCleanupLeavesTheSucceededStepsSucceededSayingWhyTheyWereNotCompensated() {
    String w = task("create-incomplete");
    steps.markNotCompensated(w, "cannot remove the master node of rl-1: disk full");
    assertThat(statuses(w)).containsExactlyInAnyOrderEntriesOf(Map.of(
        1, "SUCCEEDED: not compensated: cannot remove the master node of rl-1: disk full (was: placed master=h1:3307)",
        2, "SUCCEEDED: not compensated: cannot remove the master node of rl-1: disk full",
        3, "FAILED: interrupted",
        4, "SKIPPED: cloud only"));
    assertThat(steps.steps(w)).extracting(StepDao.StepRow::status).doesNotContain(StepStatus.COMPENSATED);
  }
}

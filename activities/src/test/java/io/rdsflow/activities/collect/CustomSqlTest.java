package io.rdsflow.activities.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The custom SQL gate: what the server would read differently, side effects, sizes. */
class CustomSqlTest {

  @Test
  void ordinaryMetricQueriesPass() {
    for (String sql : List.of("SELECT status, COUNT(*) AS n FROM shop.orders GROUP BY status",
        "SELECT CONCAT(User,\"@\",Host) AS u, authentication_string AS h, 1 AS n FROM mysql.user",
        "SELECT DATE_FORMAT(NOW(), '%Y') AS y, COUNT(DISTINCT (id)) AS n FROM shop.orders WHERE id IN (SELECT id FROM shop.x)",
        "SELECT CAST(SUM(v) AS DECIMAL(10,2)) AS n, IFNULL(k, 'none') AS k FROM t WHERE k <> 'it''s' GROUP BY k",
        "SELECT 1 - -1 AS n")) {
      assertThat(CustomSql.problem(sql)).as(sql).isNull();
    }
  }

  @Test
  void commentsAndExecutableCommentsAreRefusedWhateverTheyHide() {
    for (String sql : List.of("SELECT /* ' */ LOAD_FILE('/etc/hostname') AS f, 1 AS n -- '",
        "SELECT 1 AS n /* ' */ /*!50000 INTO OUTFILE '/tmp/x' */ -- '",
        "SELECT 1 AS n /*M!100000 , SLEEP(5) */", "SELECT 1 AS n # ' comment", "SELECT 1--1 AS n",
        "SELECT 1 AS n /**/")) {
      assertThat(CustomSql.problem(sql)).as(sql).startsWith("must not contain comments");
    }
  }

  @Test
  void functionsOutsideTheAllowListAreRefusedQuotedOrNot() {
    for (String sql : List.of("SELECT `LOAD_FILE`('/etc/hostname') AS f, 1 AS n", "SELECT LOAD_FILE ('/etc/hostname') AS n",
        "SELECT \"LOAD_FILE\"('/etc/hostname') AS n", "SELECT SLEEP(1) AS n", "SELECT BENCHMARK(1000, MD5('a')) AS n",
        "SELECT GET_LOCK('x', 1) AS n", "SELECT RELEASE_LOCK('x') AS n", "SELECT MASTER_POS_WAIT('f', 4) AS n",
        "SELECT MASTER_GTID_WAIT('0-1-1') AS n", "SELECT sys_exec('id') AS n", "SELECT shop.my_func(1) AS n",
        "SELECT `shop`.`f`(1) AS n", "SELECT 1 AS n FROM t PROCEDURE ANALYSE()", "SELECT REPEAT('x', 100000000) AS n")) {
      assertThat(CustomSql.problem(sql)).as(sql).isNotNull();
    }
    assertThat(CustomSql.problem("SELECT `LOAD_FILE`('/etc/hostname') AS f, 1 AS n")).contains("quoted name");
    assertThat(CustomSql.problem("SELECT SLEEP(1) AS n")).contains("SLEEP");
  }

  @Test
  void writesLocksAndAmbiguousEscapesAreRefused() {
    for (String sql : List.of("SELECT * INTO OUTFILE '/tmp/x' FROM shop.orders", "SELECT * FROM shop.orders INTO DUMPFILE '/tmp/y'",
        "SELECT 1 INTO @x", "SELECT * FROM shop.orders FOR UPDATE", "SELECT * FROM t LOCK IN SHARE MODE",
        "SELECT 'a\\' , 1 AS n", "SELECT 1; SELECT 2", "DELETE FROM shop.orders", "SELECT 1 AS n\u00a0")) {
      assertThat(CustomSql.problem(sql)).as(sql).isNotNull();
    }
  }

  @Test
  void sizesAreLimitedBeforeAnyParserSeesTheText() {
    String literal = "SELECT '" + "x".repeat(9_900) + "' AS l, 1 AS n";
    assertThat(CustomSql.problem(literal)).isEqualTo("is longer than 4000 characters");
    String shorter = "SELECT '" + "x".repeat(3_000) + "' AS l, 1 AS n";
    assertThat(CustomSql.problem(shorter)).isEqualTo("has a quoted string or name longer than 1000 characters");
    String nested = "SELECT " + "(".repeat(3_000) + "1" + ")".repeat(3_000) + " AS n";
    assertThat(CustomSql.problem(nested)).isEqualTo("is longer than 4000 characters");
    String nested40 = "SELECT " + "(".repeat(40) + "1" + ")".repeat(40) + " AS n";
    assertThat(CustomSql.problem(nested40)).isEqualTo("nests parentheses deeper than 32");
    assertThat(CustomSql.problem("SELECT " + "(".repeat(30) + "1" + ")".repeat(30) + " AS n")).isNull();
  }

  @Test
  void aNullSelectorValueNeverMatchesAndNeverThrows() {
    java.util.HashMap<String, String> selector = new java.util.HashMap<>();
    selector.put("team", null);
    CustomMetric m = new CustomMetric("m", "SELECT 1 AS n", "n", List.of(), selector, 1, 10, null);
    Target t = new Target("i:master", "local", "i", "n", "local", null, "master", "h", 1, "u", "p", Map.of("team", "x"),
        "i", null, null);
    assertThat(m.appliesTo(t)).isFalse();
  }
}

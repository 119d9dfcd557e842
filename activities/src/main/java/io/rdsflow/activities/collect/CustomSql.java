package io.rdsflow.activities.collect;

import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * The gate for custom SQL: accepted only when the SQL parser finds exactly one SELECT that writes
 * nothing (no INTO, no locking clause). It still runs in a read-only transaction with a row cap and
 * a timeout.
 */
public final class CustomSql {
  private static final Pattern STRINGS = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`");
  private static final Pattern FORBIDDEN = Pattern.compile(
      "(?i)\\bINTO\\b|\\bFOR\\s+UPDATE\\b|\\bFOR\\s+SHARE\\b|\\bLOCK\\s+IN\\s+SHARE\\s+MODE\\b|\\bLOAD_FILE\\s*\\(");

  private CustomSql() {}

  /** Why the SQL is refused, or null when it is one plain SELECT. */
  public static String problem(String sql) {
    if (sql == null || sql.isBlank()) {
      return "is empty";
    }
    if (sql.length() > 10_000) {
      return "is longer than 10000 characters";
    }
    Statements statements;
    try {
      statements = CCJSqlParserUtil.parseStatements(sql);
    } catch (JSQLParserException | RuntimeException e) {
      return "is not a single SELECT the SQL parser understands";
    }
    if (statements.size() != 1) {
      return "must be exactly one statement, found " + statements.size();
    }
    if (!(statements.get(0) instanceof Select select)) {
      return "must be a SELECT, found " + statements.get(0).getClass().getSimpleName().toUpperCase();
    }
    if (select instanceof PlainSelect ps && (ps.getIntoTables() != null || ps.getForMode() != null)) {
      return "must not write (INTO) or lock (FOR UPDATE/SHARE)";
    }
    if (FORBIDDEN.matcher(STRINGS.matcher(sql).replaceAll("''")).find()) {
      return "must not write (INTO), lock (FOR UPDATE/SHARE) or read files";
    }
    return null;
  }
}

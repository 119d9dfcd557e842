package io.rdsflow.activities.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * The gate for custom SQL. It is a convenience, not the security boundary: the SQL runs as an account
 * that may only read the application databases (see {@link JdbcCollector}). Still, the gate refuses
 * whatever its own reading and the server's tokenisation could disagree on, so that what it checks is
 * what the server runs:
 * <ul>
 *   <li>no comments at all ({@code /* *}{@code /}, {@code /*!}, {@code /*M!}, {@code --}, {@code #}),
 *       no backslashes (escapes depend on {@code NO_BACKSLASH_ESCAPES}), no {@code ;}, and outside quotes
 *       only printable ASCII;</li>
 *   <li>every function called is on an allow-list of side-effect-free built-ins; a quoted or qualified
 *       name before {@code (} (a stored function, a UDF, {@code `LOAD_FILE`(...)}) is refused;</li>
 *   <li>no {@code INTO}, {@code PROCEDURE}, {@code FOR UPDATE/SHARE}, {@code LOCK IN SHARE MODE};</li>
 *   <li>size limits checked before any parser sees the text: {@link #MAX_LENGTH} characters, parentheses
 *       nested at most {@link #MAX_DEPTH} deep, quoted strings and names of at most {@link #MAX_QUOTED};</li>
 *   <li>then the SQL parser must find exactly one SELECT.</li>
 * </ul>
 */
public final class CustomSql {
  public static final int MAX_LENGTH = 4000;
  public static final int MAX_DEPTH = 32;
  public static final int MAX_QUOTED = 1000;

  /** Side-effect-free built-ins a metric query may call; everything else followed by '(' is refused. */
  public static final Set<String> FUNCTIONS = Set.of(
      // aggregates and window functions
      "COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT", "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE",
      "VAR_POP", "VAR_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR", "ROW_NUMBER", "RANK", "DENSE_RANK", "LAG", "LEAD",
      "FIRST_VALUE", "LAST_VALUE", "NTILE",
      // control flow
      "IF", "IFNULL", "NULLIF", "COALESCE", "GREATEST", "LEAST", "ISNULL",
      // strings (nothing that multiplies a string's size: no REPEAT, SPACE, LPAD, RPAD)
      "CONCAT", "CONCAT_WS", "LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH", "LOWER", "UPPER", "LCASE", "UCASE",
      "SUBSTRING", "SUBSTR", "SUBSTRING_INDEX", "LEFT", "RIGHT", "TRIM", "LTRIM", "RTRIM", "REPLACE", "LOCATE",
      "INSTR", "REVERSE", "CAST", "CONVERT", "CHAR", "HEX", "UNHEX", "ASCII", "MD5", "CRC32",
      // numbers
      "ABS", "CEIL", "CEILING", "FLOOR", "ROUND", "TRUNCATE", "MOD", "POW", "POWER", "SQRT", "LN", "LOG", "LOG2",
      "LOG10", "EXP", "SIGN",
      // dates and times
      "NOW", "CURRENT_TIMESTAMP", "CURDATE", "CURRENT_DATE", "CURTIME", "CURRENT_TIME", "UTC_TIMESTAMP", "UTC_DATE",
      "UNIX_TIMESTAMP", "FROM_UNIXTIME", "DATE", "TIME", "TIMESTAMP", "DATE_FORMAT", "DATE_ADD", "DATE_SUB",
      "ADDDATE", "SUBDATE", "DATEDIFF", "TIMESTAMPDIFF", "TIMESTAMPADD", "TIMEDIFF", "TIME_TO_SEC", "SEC_TO_TIME",
      "YEAR", "MONTH", "DAY", "DAYOFMONTH", "DAYOFWEEK", "DAYOFYEAR", "HOUR", "MINUTE", "SECOND", "WEEK",
      "EXTRACT", "TO_DAYS", "TO_SECONDS", "STR_TO_DATE", "LAST_DAY",
      // JSON
      "JSON_EXTRACT", "JSON_UNQUOTE", "JSON_VALUE", "JSON_LENGTH", "JSON_CONTAINS");

  /** Words that may precede '(' without being a function call (subqueries, lists, CAST types). */
  private static final Set<String> STRUCTURAL = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "XOR", "IN",
      "EXISTS", "ON", "USING", "JOIN", "AS", "WHEN", "THEN", "ELSE", "BY", "HAVING", "OVER", "ANY", "ALL", "SOME", "IS",
      "LIKE", "BETWEEN", "DIV", "UNION", "INTERSECT", "EXCEPT", "DISTINCT", "DISTINCTROW", "INTERVAL", "CASE",
      "RLIKE", "REGEXP", "ESCAPE", "LIMIT", "OFFSET", "VARCHAR", "DECIMAL", "NUMERIC", "BINARY", "DATETIME", "FLOAT",
      "DOUBLE", "SIGNED", "UNSIGNED", "NCHAR");

  private CustomSql() {}

  /** Why the SQL is refused, or null when it is one plain SELECT. */
  public static String problem(String sql) {
    if (sql == null || sql.isBlank()) {
      return "is empty";
    }
    if (sql.length() > MAX_LENGTH) {
      return "is longer than " + MAX_LENGTH + " characters";
    }
    String lexical = lexical(sql);
    if (lexical != null) {
      return lexical;
    }
    Statements statements;
    try {
      statements = CCJSqlParserUtil.parseStatements(sql);
    } catch (JSQLParserException | RuntimeException | StackOverflowError e) {
      return "is not a single SELECT the SQL parser understands";
    }
    if (statements == null || statements.size() != 1) {
      return "must be exactly one statement, found " + (statements == null ? 0 : statements.size());
    }
    if (!(statements.get(0) instanceof Select select)) {
      return "must be a SELECT, found " + statements.get(0).getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }
    if (select instanceof PlainSelect ps && (ps.getIntoTables() != null || ps.getForMode() != null)) {
      return "must not write (INTO) or lock (FOR UPDATE/SHARE)";
    }
    return null;
  }

  private record Token(String text, char quote) {
    boolean word() {
      return quote == 0 && !text.isEmpty() && isWordChar(text.charAt(0));
    }
  }

  /** One pass over the text the way the server tokenises it; refuses anything it cannot read unambiguously. */
  static String lexical(String sql) {
    List<Token> tokens = new ArrayList<>();
    int depth = 0;
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char ch = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : 0;
      if (ch == '\\') {
        return "must not contain backslashes";
      }
      if (ch == '#' || (ch == '/' && next == '*') || (ch == '-' && next == '-')) {
        return "must not contain comments (/* */, /*! */, -- or #); write 1 - -1 rather than 1--1";
      }
      if (ch == '\'' || ch == '"' || ch == '`') {
        StringBuilder content = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= n) {
            return "has an unterminated " + ch + " quote";
          }
          char c = sql.charAt(j);
          if (c == ch) {
            if (j + 1 < n && sql.charAt(j + 1) == ch) {
              content.append(ch);
              j += 2;
              continue;
            }
            break;
          }
          if (c == '\\') {
            return "must not contain backslashes";
          }
          content.append(c);
          if (content.length() > MAX_QUOTED) {
            return "has a quoted string or name longer than " + MAX_QUOTED + " characters";
          }
          j++;
        }
        tokens.add(new Token(content.toString(), ch));
        i = j + 1;
        continue;
      }
      if (isWordChar(ch)) {
        int j = i;
        while (j < n && isWordChar(sql.charAt(j))) {
          j++;
        }
        String word = sql.substring(i, j).toUpperCase(Locale.ROOT);
        if (word.equals("INTO") || word.equals("PROCEDURE")) {
          return "must not write (INTO) or call procedures";
        }
        boolean afterFor = !tokens.isEmpty() && tokens.get(tokens.size() - 1).word()
            && tokens.get(tokens.size() - 1).text().equals("FOR");
        if (((word.equals("UPDATE") || word.equals("SHARE")) && afterFor) || word.equals("LOCK")) {
          return "must not lock (FOR UPDATE/SHARE, LOCK IN SHARE MODE)";
        }
        tokens.add(new Token(word, (char) 0));
        i = j;
        continue;
      }
      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
        i++;
        continue;
      }
      if (ch < 0x21 || ch > 0x7e) {
        return "may contain non-ASCII or control characters only inside quotes";
      }
      if (ch == ';') {
        return "must be exactly one statement, without ';'";
      }
      if (ch == '(') {
        String call = call(tokens);
        if (call != null) {
          return call;
        }
        if (++depth > MAX_DEPTH) {
          return "nests parentheses deeper than " + MAX_DEPTH;
        }
      } else if (ch == ')' && --depth < 0) {
        return "has unbalanced parentheses";
      }
      tokens.add(new Token(String.valueOf(ch), (char) 0));
      i++;
    }
    return depth == 0 ? null : "has unbalanced parentheses";
  }

  /** Checks what precedes a '(' : a structural keyword, an allowed function, or something else. */
  private static String call(List<Token> tokens) {
    if (tokens.isEmpty()) {
      return null;
    }
    Token before = tokens.get(tokens.size() - 1);
    if (before.quote() == '`' || before.quote() == '"') {
      return "calls the quoted name " + before.quote() + before.text() + before.quote()
          + "(...); only built-in functions, unquoted, may be called";
    }
    if (!before.word()) {
      return null; // '(' after an operator, a comma, another '(' or a string
    }
    boolean qualified = tokens.size() > 1 && tokens.get(tokens.size() - 2).text().equals(".")
        && tokens.get(tokens.size() - 2).quote() == 0;
    if (qualified) {
      return "calls the stored function ..." + before.text() + "(); only built-in functions may be called";
    }
    if (STRUCTURAL.contains(before.text()) || FUNCTIONS.contains(before.text())) {
      return null;
    }
    return "calls " + before.text() + "(), which is not an allowed function (allowed: side-effect-free built-ins, see README)";
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
  }
}

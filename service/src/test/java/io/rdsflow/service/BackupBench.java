package io.rdsflow.service;

import static io.rdsflow.service.LocalEngineTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rdsflow.mysqld.BinaryLocator;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.testkit.TestProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's backup figures on one ~1 GB local single instance, through REST of the in-process service. Not a test the
 * suite runs (no Test suffix): {@code bench/backup/run}, which says what it prints.
 *
 * <ol>
 *   <li>Backup overhead: {@code rdsflow.bench.runs} (3) times, alternating which goes first, the {@code backup} operation
 *       (POST to SUCCEEDED) and the bare {@code mariadb-backup --backup --stream=xbstream | zstd -1} on the same node with
 *       the options {@code PhysicalCopy} gives it (its socket, datadir, target dir, root over an option file), into a
 *       file on the same disk as {@code backup.dir}; one untimed bare run warms the cache first, {@code sync} between
 *       runs. The median of operation ÷ bare must be ≤ 1.10.</li>
 *   <li>Point-in-time clone (unless {@code rdsflow.bench.pitr=false}): ~{@code rdsflow.bench.binlogMb} (100) MB of row
 *       changes after the last backup, an instant T, more changes, the archive caught up past T, then a clone at T
 *       ({@code POST /v1/instances} with {@code source.pointInTime}): its time to RUNNING and its restore and
 *       roll-forward steps; the clone's tables checksum as the source's did at T, and none of the later changes is in
 *       it.</li>
 * </ol>
 *
 * The rows are loaded with the binlog off (the backup copies data files, not binlogs; the archive then has 1 GB less
 * to copy during the measurement); the changes of part 2 are logged as usual.
 */
class BackupBench {
  private static final String P = "backup bench: ";
  /** Rows per INSERT ... SELECT of the load (one transaction each, ~20 MB). */
  private static final int BATCH = 100_000;
  /** How long the copy itself took, in the step's message ({@code NodeBackup.describe}). */
  private static final Pattern COPY_TOOK = Pattern.compile("\\) in ([0-9]+) ms");
  /** Where the clone's data ends, in the roll-forward step's message ({@code HostRestoreStepsImpl}). */
  private static final Pattern DATA_ENDS_AT = Pattern.compile("data ends at GTID ([0-9,\\- ]+) ");

  /** The instance's parameters: a buffer pool for a fast load (the tests' 32M would slow it). */
  private static final Map<String, String> PARAMETERS = Map.of("innodb_buffer_pool_size", "256M", "max_connections", "200");

  @TempDir Path root;

  @Test
  void backupOverheadAndPointInTimeClone() throws Exception {
    long targetMb = Long.getLong("rdsflow.bench.mb", 1024);
    int runs = Integer.getInteger("rdsflow.bench.runs", 3);
    long binlogMb = Long.getLong("rdsflow.bench.binlogMb", 100);
    boolean pitr = Boolean.parseBoolean(System.getProperty("rdsflow.bench.pitr", "true"));
    boolean hash = Boolean.parseBoolean(System.getProperty("rdsflow.bench.sha", "true"));
    Map<String, String> config = OperationsApi.oneHostConfig(root, "bbench");
    config.put("backup.dir", root.resolve("backups").toString());
    config.put("binlogArchive.enabled", "true"); // its default interval (20 s) and flushAfter (30 s)
    TestApp app = TestApp.start(config);
    String id = null;
    String cloneId = null;
    try {
      Map<String, Object> request = LocalEngineTest.request("bbench", "single", null);
      request.put("parameters", PARAMETERS);
      id = app.post("/v1/instances", request).json().get("instanceId").asText();
      LocalEngineTest.waitForStatus(app, id, "RUNNING", Duration.ofMinutes(3));
      int port = OperationsApi.endpoints(app, id).get("master");
      Path home = root.resolve("h0").resolve(id).resolve("master");
      System.out.println(P + "instance " + id + " (single, innodb_buffer_pool_size 256M), load " + load());

      try (Connection c = OperationsApi.admin(app, id, port)) {
        loadRows(c, home, targetMb);
      }
      Path ibd = home.resolve("data/shop/orders.ibd");
      System.out.printf(P + "data on disk: shop/orders.ibd %s, data directory %s (binlogs apart)%n", mb(Files.size(ibd)),
          mb(treeBytes(home.resolve("data"))));

      Measured m = measureBackups(app, id, home, runs, hash);
      if (pitr) {
        cloneId = pointInTimeClone(app, id, port, m.backupId(), binlogMb);
      }
      assertThat(m.ratio()).as("median operation / bare").isLessThanOrEqualTo(1.10);
    } finally {
      try {
        if (cloneId != null) {
          app.delete("/v1/instances/" + cloneId);
          LocalEngineTest.waitForStatus(app, cloneId, "DELETED", Duration.ofMinutes(2));
        }
      } catch (Exception | AssertionError e) {
        System.out.println(P + "deleting the clone " + cloneId + ": " + e.getMessage());
      } finally {
        OperationsApi.deleteAndClose(app, id, root);
        TestProcesses.stopAllUnder(root);
      }
    }
  }

  /** Realistic orders, not too compressible (hex notes, random tokens), loaded until orders.ibd holds {@code mb}. */
  private static void loadRows(Connection c, Path home, long mb) throws Exception {
    long start = System.nanoTime();
    try (Statement s = c.createStatement()) {
      s.execute("SET sql_log_bin = 0");
      s.execute("CREATE TABLE shop.orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, "
          + "created_at DATETIME NOT NULL, status VARCHAR(16) NOT NULL, amount DECIMAL(10,2) NOT NULL, "
          + "email VARCHAR(64) NOT NULL, note VARCHAR(255) NOT NULL, token VARBINARY(32) NOT NULL, KEY (customer_id))");
      s.execute("CREATE TABLE shop.d (n INT PRIMARY KEY)");
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 400; i++) {
        values.append(i == 0 ? "" : ",").append('(').append(i).append(')');
      }
      s.execute("INSERT INTO shop.d VALUES " + values);
      Path ibd = home.resolve("data/shop/orders.ibd");
      long rows = 0;
      while (Files.size(ibd) < mb << 20) {
        rows += s.executeUpdate("INSERT INTO shop.orders (customer_id, created_at, status, amount, email, note, token) SELECT "
            + orderColumns("new", "paid", "shipped", "cancelled") + " FROM shop.d a, shop.d b LIMIT " + BATCH);
      }
      s.execute("DROP TABLE shop.d");
      s.execute("SET sql_log_bin = 1");
      System.out.printf(P + "loaded %d rows in %.1f s (INSERT ... SELECT of %d random rows a transaction, binlog off)%n",
          rows, (System.nanoTime() - start) / 1e9, BATCH);
    }
  }

  /** The SELECT list of one random order (the columns after id), its status one of {@code statuses}. */
  private static String orderColumns(String... statuses) {
    return "FLOOR(RAND() * 1000000), NOW() - INTERVAL FLOOR(RAND() * 31536000) SECOND, "
        + "ELT(1 + FLOOR(RAND() * " + statuses.length + "), '" + String.join("', '", statuses) + "'), ROUND(RAND() * 1000, 2), "
        + "CONCAT('user', FLOOR(RAND() * 1000000), '@example.com'), "
        + "CONCAT('deliver to ', ELT(1 + FLOOR(RAND() * 5), 'Hangzhou', 'Beijing', 'Shanghai', 'Shenzhen', 'Chengdu'), "
        + "' street ', FLOOR(RAND() * 500), '; ref ', MD5(RAND()), ' ', LEFT(MD5(RAND()), 16)), "
        + "UNHEX(SHA2(RAND(), 256))";
  }

  /** Part 1's outcome: the median ratio, and the last backup (the clone's starting point). */
  private record Measured(double ratio, String backupId) {}

  /**
   * Part 1: the operation and the bare pipeline alternately. The bare command is the
   * operation's own (PhysicalCopy): same binary, option file first, socket, datadir, target dir, zstd level.
   */
  private Measured measureBackups(TestApp app, String id, Path home, int runs, boolean hash) throws Exception {
    Path backupTool = new BinaryLocator(null, root.resolve("dist")).locate().backup().orElseThrow();
    Path bare = Files.createDirectories(root.resolve("bare")); // the same file system as backup.dir (root/backups)
    Path options = bare.resolve("client.cnf");
    Files.createFile(options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(options, "!include " + home.resolve("my.cnf") + "\n[client]\nuser=\"root\"\npassword=\""
        + OperationsApi.secrets(app, id).get(0).replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
    String pipeline = "set -o pipefail; \"$0\" --defaults-extra-file=\"$1\" --backup --stream=xbstream --socket=\"$2\" "
        + "--datadir=\"$3\" --target-dir=\"$4\" 2>\"$5\" | zstd -q -1 -c > \"$6\"";
    System.out.println(P + "bare command: " + backupTool + " --defaults-extra-file=<0600 file: !include my.cnf, root> --backup "
        + "--stream=xbstream --socket=" + socket(home) + " --datadir=" + home.resolve("data")
        + " --target-dir=" + home.resolve("tmp") + " 2>log | zstd -q -1 -c > " + bare + "/<n>.xb.zst");

    bareBackup(backupTool, options, home, bare, pipeline, "warmup"); // untimed: warms the page cache for both
    // informational, not in the ratio: the bare command plus a SHA-256 of its output, as the operation records one
    String hashed = pipeline.replace("> \"$6\"", "| tee \"$6\" | sha256sum > \"$6.sha256\"");
    int kinds = hash ? 3 : 2;
    List<Double> ops = new ArrayList<>();
    List<Double> bares = new ArrayList<>();
    List<Double> sums = new ArrayList<>();
    String backupId = null;
    for (int i = 1; i <= runs; i++) {
      for (int k = 0; k < kinds; k++) {
        int kind = (k + i - 1) % kinds; // each run starts with the next kind: 0 operation, 1 bare, 2 bare + sha256sum
        sync();
        if (kind == 0) {
          long start = System.nanoTime();
          TestApp.Reply accepted = app.post("/v1/instances/" + id + "/operations", Map.of("type", "backup"));
          assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
          JsonNode done = OperationsApi.waitFor(app, accepted.json().get("operationId").asText(), Duration.ofMinutes(30));
          double s = (System.nanoTime() - start) / 1e9;
          assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
          JsonNode b = app.get("/v1/instances/" + id + "/backups").json().get(0);
          backupId = b.get("backupId").asText();
          ops.add(s);
          JsonNode step = done.get("steps").get(0);
          Matcher copy = COPY_TOOK.matcher(step.get("message").asText());
          System.out.printf(P + "run %d: operation %.2f s (POST -> SUCCEEDED; op record %.2f s, step %s %.2f s, copy %s s) %s, "
              + "node %s [load %s]%n", i, s, seconds(done.get("startedAt"), done.get("finishedAt")), step.get("name").asText(),
              seconds(step.get("startedAt"), step.get("finishedAt")), copy.find() ? Long.parseLong(copy.group(1)) / 1000.0 : "?",
              mb(b.get("sizeBytes").asLong()), b.get("node").asText(), load());
        } else {
          long[] r = bareBackup(backupTool, options, home, bare, kind == 1 ? pipeline : hashed, "run" + i);
          (kind == 1 ? bares : sums).add(r[0] / 1e9);
          System.out.printf(P + "run %d: %s %.2f s %s [load %s]%n", i, kind == 1 ? "bare     " : "bare+sha256sum", r[0] / 1e9,
              mb(r[1]), load());
        }
      }
    }
    Files.delete(options);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      ratios.add(ops.get(i) / bares.get(i));
    }
    double ratio = median(ratios);
    System.out.printf(P + "operation / bare: runs %s; median %.3f (goal <= 1.10); medians %.2f s / %.2f s = %.3f%n",
        ratios.stream().map(x -> String.format("%.3f", x)).toList(), ratio, median(ops), median(bares),
        median(ops) / median(bares));
    if (!sums.isEmpty()) {
      System.out.printf(P + "informational: bare + sha256sum median %.2f s = %.3f x bare; operation / (bare + sha256sum) %.3f%n",
          median(sums), median(sums) / median(bares), median(ops) / median(sums));
    }
    return new Measured(ratio, backupId);
  }

  /** One bare pipeline into bare/&lt;name&gt;.xb.zst (deleted after): {nanoseconds, bytes}. */
  private static long[] bareBackup(Path tool, Path options, Path home, Path bare, String pipeline, String name)
      throws Exception {
    Path out = bare.resolve(name + ".xb.zst");
    Path log = bare.resolve(name + ".log");
    long start = System.nanoTime();
    Process p = new ProcessBuilder("bash", "-c", pipeline, tool.toString(), options.toString(),
        socket(home), home.resolve("data").toString(), home.resolve("tmp").toString(),
        log.toString(), out.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    int rc = p.waitFor();
    long took = System.nanoTime() - start;
    assertThat(rc).as("bare backup: " + output + (Files.exists(log) ? "\n" + MysqldServer.tail(log) : "")).isZero();
    long bytes = Files.size(out);
    Files.delete(out);
    Files.deleteIfExists(out.resolveSibling(out.getFileName() + ".sha256"));
    return new long[] {took, bytes};
  }

  /**
   * Part 2: ~binlogMb of row changes (B), instant T, more changes (C), the archive past T, a clone at T. Returns the
   * clone's id.
   */
  private static String pointInTimeClone(TestApp app, String id, int port, String backupId, long binlogMb) throws Exception {
    String[] before;
    String gtidAtT;
    Instant t;
    long nB = 0;
    try (Connection c = OperationsApi.admin(app, id, port); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shop.pitr (k INT PRIMARY KEY, phase CHAR(1) NOT NULL, at DATETIME(6) NOT NULL)");
      long binlogStart = binlogBytes(s);
      long maxId = Long.parseLong(scalar(c, "SELECT MAX(id) FROM shop.orders"));
      long start = System.nanoTime();
      long next = 1;
      while (binlogBytes(s) - binlogStart < binlogMb << 20) {
        s.executeUpdate("UPDATE shop.orders SET status = ELT(1 + FLOOR(RAND() * 3), 'paid', 'shipped', 'refunded'), "
            + "amount = amount + 1, note = CONCAT('updated ', MD5(RAND()), ' ', note) WHERE id BETWEEN " + next + " AND "
            + (next + 9_999));
        next += 10_000;
        s.executeUpdate("INSERT INTO shop.orders (customer_id, created_at, status, amount, email, note, token) SELECT "
            + orderColumns("new", "paid") + " FROM shop.orders WHERE id <= 5000");
        s.executeUpdate("INSERT INTO shop.pitr VALUES (" + (++nB) + ", 'B', NOW(6))");
        assertThat(next).as("enough rows to update").isLessThan(maxId);
      }
      long bytes = binlogBytes(s) - binlogStart;
      System.out.printf(P + "changes before T: %s of binlog in %.1f s (%d rounds: 10k rows updated, 5k inserted, a marker row)%n",
          mb(bytes), (System.nanoTime() - start) / 1e9, nB);
      before = checksums(c);
      gtidAtT = scalar(c, "SELECT @@gtid_binlog_pos");
      t = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 2); // whole seconds: binlog events carry seconds
      Thread.sleep(Duration.between(Instant.now(), t).toMillis() + 1500);
      for (int k = 1; k <= 20; k++) {
        s.executeUpdate("INSERT INTO shop.pitr VALUES (" + (nB + k) + ", 'C', NOW(6))");
      }
      s.executeUpdate("UPDATE shop.orders SET status = 'after-T' WHERE id <= 1000");
      s.executeUpdate("INSERT INTO shop.orders (customer_id, created_at, status, amount, email, note, token) SELECT "
          + orderColumns("after-T") + " FROM shop.orders WHERE id <= 1000");
    }
    long waitStart = System.nanoTime();
    JsonNode window = null;
    while (System.nanoTime() - waitStart < Duration.ofMinutes(5).toNanos()) {
      window = app.get("/v1/instances/" + id + "/recovery-window").json();
      if (!window.get("latest").isNull() && !Instant.parse(window.get("latest").asText()).isBefore(t)) {
        break;
      }
      Thread.sleep(500);
    }
    System.out.println(String.format(P + "T = %s; archive past T %.1f s after the last change: recovery window %s", t,
        (System.nanoTime() - waitStart) / 1e9, window));
    assertThat(Instant.parse(window.get("latest").asText())).isAfterOrEqualTo(t);

    long start = System.nanoTime();
    // the source's parameters, given (before 8154601 a clone's default parameters carried time_zone, refused)
    TestApp.Reply accepted = app.post("/v1/instances", Map.of("name", "bbench-pitr", "engine", "local", "topology", "single",
        "parameters", PARAMETERS, "source", Map.of("instanceId", id, "pointInTime", t.toString())));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String cloneId = accepted.json().get("instanceId").asText();
    LocalEngineTest.waitForStatus(app, cloneId, "RUNNING", Duration.ofMinutes(30));
    double total = (System.nanoTime() - start) / 1e9;
    System.out.printf(P + "clone %s at T from %s: %.1f s POST -> RUNNING [load %s]%n", cloneId, backupId, total, load());
    String rolledTo = null;
    for (JsonNode step : app.get("/v1/instances/" + cloneId + "/steps").json().get("steps")) {
      double d = seconds(step.get("startedAt"), step.get("finishedAt"));
      String name = step.get("name").asText();
      if (name.startsWith("rdsflow_restore_backup_") || name.startsWith("rdsflow_roll_forward_") || d >= 1.0) {
        System.out.printf(P + "  step %-40s %7.2f s  %s%n", name, d, step.get("message").asText());
      }
      Matcher end = DATA_ENDS_AT.matcher(step.get("message").asText());
      if (name.equals("rdsflow_roll_forward_master") && end.find()) {
        rolledTo = end.group(1);
      }
    }
    // the clone's own gtid_binlog_pos moves on with its creation's later steps; the roll-forward says where the data ends
    assertThat(rolledTo).as("the roll-forward ends at the source's GTID position at T").isEqualTo(gtidAtT);

    int clonePort = OperationsApi.endpoints(app, cloneId).get("master");
    try (Connection c = OperationsApi.admin(app, cloneId, clonePort)) {
      assertThat(scalar(c, "SELECT COUNT(*) FROM shop.pitr WHERE phase = 'B'")).isEqualTo(Long.toString(nB));
      assertThat(scalar(c, "SELECT COUNT(*) FROM shop.pitr WHERE phase = 'C'")).isEqualTo("0");
      assertThat(scalar(c, "SELECT COUNT(*) FROM shop.orders WHERE status = 'after-T'")).isEqualTo("0");
      String[] clone = checksums(c);
      assertThat(clone).as("CHECKSUM TABLE orders, pitr: the clone vs the source at T").containsExactly(before);
      System.out.printf(P + "clone verified: %d marker rows before T, none after; CHECKSUM TABLE shop.orders %s and shop.pitr %s "
          + "equal to the source's at T; the roll-forward ended at the source's GTID position at T, %s%n", nB, clone[0], clone[1],
          gtidAtT);
    }
    return cloneId;
  }

  private static String[] checksums(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CHECKSUM TABLE shop.orders, shop.pitr")) {
      String[] out = new String[2];
      for (int i = 0; i < 2 && rs.next(); i++) {
        out[i] = rs.getString(2);
      }
      return out;
    }
  }

  private static long binlogBytes(Statement s) throws Exception {
    long sum = 0;
    try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        sum += rs.getLong(2);
      }
    }
    return sum;
  }

  private static void sync() throws Exception {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
  }

  private static long treeBytes(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static double seconds(JsonNode from, JsonNode to) {
    return from == null || to == null || from.isNull() || to.isNull() ? Double.NaN
        : Duration.between(Instant.parse(from.asText()), Instant.parse(to.asText())).toMillis() / 1000.0;
  }

  private static double median(List<Double> xs) {
    List<Double> sorted = xs.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String mb(long bytes) {
    return String.format("%.0f MB", bytes / 1048576.0);
  }

  private static String load() throws Exception {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  /** The node's socket as its my.cnf names it. */
  private static String socket(Path home) throws Exception {
    return Files.readAllLines(home.resolve("my.cnf")).stream().filter(l -> l.startsWith("socket=")).findFirst().orElseThrow()
        .substring("socket=".length());
  }
}

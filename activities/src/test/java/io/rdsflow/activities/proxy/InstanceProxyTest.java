package io.rdsflow.activities.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rdsflow.activities.proxy.InstanceProxy.Backend;
import io.rdsflow.mysqld.BinaryLocator;
import io.rdsflow.mysqld.FileTrees;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.mysqld.PrivateDatabaseServer;
import io.rdsflow.mysqld.ServerBinaries;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real HAProxy in front of two real MariaDB servers, A and B, on 127.0.0.1; the tests run in order
 * on one proxy, each leaving the topology the next one starts from.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceProxyTest {
  private static final String CLIENT = "proxy_client";
  private static final String CLIENT_PASSWORD = "proxy-client-pw";

  private static Path root;
  private static MysqldServer a;
  private static MysqldServer b;
  private static Backend backendA;
  private static Backend backendB;
  private static InstanceProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("rdsflow-proxy-test-");
    BinaryLocator locator = new BinaryLocator(null, Path.of(System.getProperty("user.home"), ".cache", "rdsflow"));
    ServerBinaries binaries = locator.locate();
    a = mariadb(binaries, root.resolve("a"));
    b = mariadb(binaries, root.resolve("b"));
    for (MysqldServer s : new MysqldServer[] {a, b}) {
      // a fresh data directory: root@127.0.0.1 has no password
      try (Connection c = DriverManager.getConnection(s.jdbcUrl(""), "root", ""); Statement st = c.createStatement()) {
        // what the control plane creates on every node: a password-less login with USAGE only
        st.execute("CREATE USER IF NOT EXISTS '" + InstanceProxy.DEFAULT_CHECK_USER + "'@'127.0.0.1'");
        st.execute("CREATE USER IF NOT EXISTS '" + CLIENT + "'@'127.0.0.1' IDENTIFIED BY '" + CLIENT_PASSWORD + "'");
      }
    }
    backendA = new Backend("node-a", "127.0.0.1", a.port());
    backendB = new Backend("node-b", "127.0.0.1", b.port());
    int writer = PrivateDatabaseServer.freePort();
    int reader = PrivateDatabaseServer.freePort();
    while (reader == writer) {
      reader = PrivateDatabaseServer.freePort();
    }
    proxy = new InstanceProxy(root.resolve("instance-1/proxy"), "127.0.0.1", writer, reader,
        InstanceProxy.DEFAULT_CHECK_USER);
  }

  @AfterAll
  static void stopAll() throws Exception {
    try {
      if (proxy != null) {
        proxy.stop();
      }
    } finally {
      try {
        if (a != null) {
          a.stop(Duration.ofSeconds(60));
        }
      } finally {
        if (b != null) {
          b.stop(Duration.ofSeconds(60));
        }
        FileTrees.delete(root);
      }
    }
  }

  @Test
  @Order(1)
  void writerLeadsToTheMasterAndReaderToTheSlave() throws Exception {
    proxy.apply(backendA, backendB);

    assertThat(proxy.runningPid()).isPresent();
    assertThat(portThrough(proxy.writerPort())).isEqualTo(a.port());
    assertThat(portThrough(proxy.readerPort())).isEqualTo(b.port());
    assertThat(Files.readString(proxy.configFile())).contains("option mysql-check user rdsflow_proxy_check");
  }

  @Test
  @Order(2)
  void applyingTheSameBackendsAgainChangesNothing() throws Exception {
    long pid = proxy.runningPid().orElseThrow();
    var modified = Files.getLastModifiedTime(proxy.configFile());

    proxy.apply(backendA, backendB);

    assertThat(proxy.runningPid()).contains(pid);
    assertThat(Files.getLastModifiedTime(proxy.configFile())).isEqualTo(modified);
    assertThat(HaproxyProcesses.all(proxy.configFile())).containsExactly(pid);
  }

  @Test
  @Order(3)
  void rePointingSendsNewWriterConnectionsToTheNewMaster() throws Exception {
    long oldPid = proxy.runningPid().orElseThrow();
    try (Connection held = connect(proxy.writerPort())) {
      assertThat(port(held)).isEqualTo(a.port());

      proxy.apply(backendB, backendA);
      long applied = System.nanoTime();
      awaitPort(proxy.writerPort(), b.port(), Duration.ofSeconds(2));
      assertThat(Duration.ofNanos(System.nanoTime() - applied)).isLessThan(Duration.ofSeconds(2));
      assertThat(portThrough(proxy.readerPort())).isEqualTo(a.port());
      assertThat(proxy.runningPid()).isPresent().isNotEqualTo(java.util.Optional.of(oldPid));

      // the session on the demoted master is cut once hard-stop-after ends the old process
      assertThat(HaproxyProcesses.await(() -> !HaproxyProcesses.alive(oldPid), Duration.ofSeconds(8))).isTrue();
      assertThatThrownBy(() -> port(held)).isInstanceOf(SQLException.class);
    }
    assertThat(HaproxyProcesses.all(proxy.configFile())).containsExactly(proxy.runningPid().orElseThrow());
  }

  @Test
  @Order(4)
  void readerFallsBackToTheMasterWhenTheSlaveStops() throws Exception {
    proxy.apply(backendA, backendB);
    awaitPort(proxy.writerPort(), a.port(), Duration.ofSeconds(2));
    assertThat(portThrough(proxy.readerPort())).isEqualTo(b.port());

    b.stop(Duration.ofSeconds(60));

    awaitPort(proxy.readerPort(), a.port(), Duration.ofSeconds(5));
    assertThat(portThrough(proxy.writerPort())).isEqualTo(a.port());
  }

  @Test
  @Order(5)
  void stopEndsTheProcessAndFreesThePorts() throws Exception {
    long pid = proxy.runningPid().orElseThrow();

    proxy.stop();

    assertThat(HaproxyProcesses.alive(pid)).as("haproxy pid %d after stop()", pid).isFalse();
    assertThat(HaproxyProcesses.all(proxy.configFile())).isEmpty();
    assertThat(proxy.runningPid()).isEmpty();
    assertThat(HaproxyProcesses.listening("127.0.0.1", proxy.writerPort())).isFalse();
    assertThat(HaproxyProcesses.listening("127.0.0.1", proxy.readerPort())).isFalse();
    proxy.stop(); // idempotent
  }

  @Test
  @Order(6)
  void aRejectedConfigurationNamesItsLineAndReplacesNothing() throws Exception {
    InstanceProxy other = new InstanceProxy(root.resolve("instance-2/proxy"), "127.0.0.1",
        PrivateDatabaseServer.freePort(), PrivateDatabaseServer.freePort(), "rdsflow_proxy_check");
    try {
      assertThatThrownBy(() -> other.apply(new Backend("m", "no-such-host.invalid", 3306), null))
          .hasMessageContaining("haproxy.cfg:")
          .hasMessageContaining("no-such-host.invalid");
      assertThat(other.configFile()).doesNotExist();
      assertThat(other.runningPid()).isEmpty();
    } finally {
      other.stop();
    }
  }

  @Test
  @Order(7)
  void aTakenPortIsReportedByTheStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      InstanceProxy other = new InstanceProxy(root.resolve("instance-3/proxy"), "127.0.0.1",
          taken.getLocalPort(), PrivateDatabaseServer.freePort(), "rdsflow_proxy_check");
      try {
        assertThatThrownBy(() -> other.apply(backendA, null))
            .hasMessageContaining("cannot bind")
            .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        assertThat(other.runningPid()).isEmpty();
      } finally {
        other.stop();
      }
    }
  }

  @Test
  @Order(8)
  void aSingleNodeServesBothPorts() throws Exception {
    InstanceProxy single = new InstanceProxy(root.resolve("instance-4/proxy"), "127.0.0.1",
        PrivateDatabaseServer.freePort(), PrivateDatabaseServer.freePort(), "rdsflow_proxy_check");
    try {
      single.apply(backendA, null);

      assertThat(portThrough(single.writerPort())).isEqualTo(a.port());
      assertThat(portThrough(single.readerPort())).isEqualTo(a.port());
    } finally {
      single.stop();
    }
    assertThat(HaproxyProcesses.all(single.configFile())).isEmpty();
  }

  private static MysqldServer mariadb(ServerBinaries binaries, Path home) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("innodb_buffer_pool_size", "32M");
    settings.put("performance_schema", "OFF");
    if (binaries.flavor() == ServerBinaries.Flavor.MARIADB) {
      settings.put("skip-ssl", "");
    }
    MysqldServer server = new MysqldServer(binaries, home, PrivateDatabaseServer.freePort(), "127.0.0.1", settings);
    server.writeConfig();
    server.initialize();
    try {
      server.start(Duration.ofSeconds(120));
    } catch (Exception e) {
      server.stop(Duration.ofSeconds(30));
      throw e;
    }
    return server;
  }

  private static Connection connect(int port) throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?sslMode=disable&connectTimeout=2000",
        CLIENT, CLIENT_PASSWORD);
  }

  private static int port(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@port")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static int portThrough(int proxyPort) throws SQLException {
    try (Connection c = connect(proxyPort)) {
      return port(c);
    }
  }

  /** Waits until a new connection through {@code proxyPort} lands on {@code expected}; fails with what it saw. */
  private static void awaitPort(int proxyPort, int expected, Duration timeout) throws Exception {
    Set<String> seen = new HashSet<>();
    boolean reached = HaproxyProcesses.await(() -> {
      try {
        int p = portThrough(proxyPort);
        seen.add(Integer.toString(p));
        return p == expected;
      } catch (SQLException e) {
        seen.add(e.getMessage());
        return false;
      }
    }, timeout);
    assertThat(reached).as("port %d leads to %d within %s; saw %s", proxyPort, expected, timeout, seen).isTrue();
  }
}

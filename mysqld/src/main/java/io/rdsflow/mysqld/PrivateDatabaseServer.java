package io.rdsflow.mysqld;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private MariaDB/MySQL server for rdsflow's own use: the embedded metadata database of the
 * {@code server} command and the test database. Data, root password (0600 file) and port live in
 * its home directory, so the next start finds the same server with its data intact; a server
 * already running from that directory (after a crash of the JVM) is reused.
 */
public final class PrivateDatabaseServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateDatabaseServer.class);

  private final MysqldServer server;
  private final String rootPassword;

  private PrivateDatabaseServer(MysqldServer server, String rootPassword) {
    this.server = server;
    this.rootPassword = rootPassword;
  }

  /** Starts (or finds running) the server living in {@code home}, creating it on first use. */
  public static PrivateDatabaseServer start(ServerBinaries binaries, Path home, int preferredPort) throws IOException {
    Files.createDirectories(home);
    Path portFile = home.resolve("port");
    int port = Files.exists(portFile) ? Integer.parseInt(Files.readString(portFile).trim()) : preferredPort;
    MysqldServer server = new MysqldServer(binaries, home, port == 0 ? 1 : port, "127.0.0.1", settings(binaries));
    if (server.runningPid().isEmpty()) {
      if (port == 0 || MysqldServer.listening("127.0.0.1", port)) {
        if (port != 0) {
          LOG.warn("Port {} of the private database in {} is taken by another process; choosing another", port, home);
        }
        port = freePort();
      }
      server = new MysqldServer(binaries, home, port, "127.0.0.1", settings(binaries));
      server.writeConfig();
      Files.writeString(portFile, Integer.toString(port));
    }
    Path passwordFile = home.resolve("root-password");
    boolean fresh = !server.isInitialized();
    if (fresh) {
      LOG.info("Initialising a private {} {} database in {}", binaries.flavor(), binaries.version(), home);
      server.initialize();
      Files.deleteIfExists(passwordFile);
    }
    if (!Files.exists(passwordFile)) {
      Files.writeString(passwordFile, HexFormat.of().formatHex(randomBytes(18)));
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    }
    String password = Files.readString(passwordFile).trim();
    long pid = server.start(Duration.ofSeconds(120));
    PrivateDatabaseServer db = new PrivateDatabaseServer(server, password);
    db.secureRootIfNeeded();
    LOG.info("Private database in {} runs as pid {} on 127.0.0.1:{}", home, pid, server.port());
    return db;
  }

  private static Map<String, String> settings(ServerBinaries binaries) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("character-set-server", "utf8mb4");
    s.put("collation-server", "utf8mb4_general_ci");
    s.put("innodb_buffer_pool_size", "64M");
    s.put("performance_schema", "OFF");
    s.put("max_connections", "300");
    if (binaries.flavor() == ServerBinaries.Flavor.MARIADB) {
      s.put("skip-ssl", "");
    }
    return s;
  }

  private void secureRootIfNeeded() throws IOException {
    try (Connection c = RootAccount.connect(server, rootPassword)) {
      return;
    } catch (SQLException expectedOnFirstStart) {
      // a fresh data directory: root has no password yet
    }
    try (Connection c = RootAccount.connectFresh(server)) {
      RootAccount.secure(c, rootPassword);
    } catch (SQLException e) {
      throw new IOException("cannot log in to the private database in " + server.home()
          + " with its root password file; remove the directory to start afresh: " + e.getMessage(), e);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Creates a database if it does not exist. */
  public void createDatabase(String name) throws SQLException {
    try (Connection c = RootAccount.connect(server, rootPassword); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + Sql.ident(name) + " CHARACTER SET utf8mb4");
    }
  }

  public String jdbcUrl(String database) {
    return server.jdbcUrl(database);
  }

  public String user() {
    return "root";
  }

  public String password() {
    return rootPassword;
  }

  public MysqldServer server() {
    return server;
  }

  @Override
  public void close() {
    LOG.info("Stopping the private database in {}", server.home());
    server.stop(Duration.ofSeconds(60));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }
}

package io.rdsflow.mysqld;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way rdsflow finds server binaries, for the embedded metadata database, the test database
 * and the local engine alike: the configured directory, else the machine's installed server, else
 * the MariaDB build published on Maven Central (downloaded once under the data directory).
 */
public final class BinaryLocator {
  private static final Logger LOG = LoggerFactory.getLogger(BinaryLocator.class);

  private final Path configuredBinDir;
  private final Path downloadDir;
  private volatile ServerBinaries found;

  public BinaryLocator(Path configuredBinDir, Path downloadDir) {
    this.configuredBinDir = configuredBinDir;
    this.downloadDir = downloadDir;
  }

  public synchronized ServerBinaries locate() {
    if (found != null) {
      return found;
    }
    Optional<ServerBinaries> installed = ServerBinaries.find(ServerBinaries.searchPath(configuredBinDir));
    if (installed.isPresent()) {
      found = installed.get();
    } else if (configuredBinDir != null) {
      throw new IllegalStateException(
          "no mariadbd or mysqld in localEngine.binDir=" + configuredBinDir
              + "; point it at a directory holding the server binaries, or leave it empty to look them up");
    } else {
      LOG.warn("No MariaDB/MySQL server installed (looked for mariadbd/mysqld on PATH and in /usr/sbin);"
          + " using the MariaDB {} build from Maven Central under {}", BundledMariaDb.VERSION, downloadDir);
      found = BundledMariaDb.ensure(downloadDir);
    }
    LOG.info("Using {} {} at {}", found.flavor(), found.version(), found.server());
    return found;
  }
}

package io.rdsflow.activities.local;

import io.rdsflow.mysqld.BinaryLocator;
import io.rdsflow.mysqld.ServerBinaries;
import io.rdsflow.workflows.domain.Role;
import java.nio.file.Path;

/**
 * This host as its agent sees it: its name (task queue {@code host.<name>}), where instances live,
 * the address they listen on, the ports it may use, its server binaries and the backup directory (shared by the hosts).
 */
public record HostContext(String name, Path baseDir, String bindAddress, String portRange, BinaryLocator binaries,
    Path backupDir) {
  public ServerBinaries server() {
    return binaries.locate();
  }

  /** The address other hosts and clients reach this host's instances at. */
  public String address() {
    return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? name : bindAddress;
  }

  /** The directory of one node: {@code <baseDir>/<instanceId>/<role>}. */
  public Path nodeHome(String instanceId, Role role) {
    return baseDir.resolve(instanceId).resolve(role.wire());
  }
}

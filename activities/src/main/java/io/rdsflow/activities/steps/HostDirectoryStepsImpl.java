package io.rdsflow.activities.steps;

import io.rdsflow.mysqld.FileTrees;
import io.rdsflow.activities.local.NodeServer;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.workflows.activities.HostDirectorySteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Directories and my.cnf of the node of {@code StepInput.role} on this host (seed 003, before the server exists). */
public final class HostDirectoryStepsImpl implements HostDirectorySteps {
  private final StepRunner runner;
  private final NodeAccess access;

  public HostDirectoryStepsImpl(StepRunner runner, NodeAccess access) {
    this.runner = runner;
    this.access = access;
  }

  @Override
  public StepResult doCheckPortAndDirExistsAndMakesureNotExist(StepInput in) { // do_check_port_and_dir_exists_and_makesure_not_exist
    return runner.run(in, () -> {
      MysqldServer server = access.load(in).server();
      Path home = server.home();
      boolean ours = ownedBy(home, in.instanceId());
      if (Files.exists(home) && !ours) {
        throw new StepFailure("directory " + home + " on host " + access.host.name() + " exists and is not this instance's");
      }
      if (MysqldServer.listening(server.connectHost(), server.port()) && !(ours && server.runningPid().isPresent())) {
        throw new StepFailure("port " + server.port() + " on host " + access.host.name() + " is in use by another process");
      }
      return StepResult.of("port " + server.port() + " free, " + (ours ? "own directory from an earlier attempt" : "directory absent"));
    });
  }

  @Override
  public StepResult doRmInstanceDirExists(StepInput in) { // do_rm_instance_dir_exists
    return runner.run(in, () -> {
      MysqldServer server = access.load(in).server();
      if (!Files.exists(server.home())) {
        return StepResult.of("nothing to remove");
      }
      if (!ownedBy(server.home(), in.instanceId())) {
        throw new StepFailure("refusing to remove " + server.home() + ": it is not this instance's");
      }
      server.stop(Duration.ofMinutes(1));
      FileTrees.delete(server.home());
      return StepResult.of("removed leftover " + server.home());
    });
  }

  @Override
  public StepResult doMakeDir(StepInput in) { // do_make_dir
    return runner.run(in, () -> {
      MysqldServer server = access.load(in).server();
      for (String d : MysqldServer.SUBDIRS) {
        Files.createDirectories(server.home().resolve(d));
      }
      Files.writeString(server.home().resolve(NodeServer.OWNER_MARKER), in.instanceId());
      access.nodes.setBaseDir(in.instanceId(), in.role(), server.home().toString());
      return StepResult.of("created " + server.home());
    });
  }

  @Override
  public StepResult doBuildMysqlParams(StepInput in) { // do_build_mysql_params
    return runner.run(in, () -> {
      MysqldServer server = access.load(in).server();
      server.writeConfig();
      return StepResult.of("wrote " + server.configFile());
    });
  }

  static boolean ownedBy(Path home, String instanceId) {
    try {
      return Files.exists(home.resolve(NodeServer.OWNER_MARKER))
          && Files.readString(home.resolve(NodeServer.OWNER_MARKER)).trim().equals(instanceId);
    } catch (IOException e) {
      return false;
    }
  }
}

package io.rdsflow.activities.steps;

import io.rdsflow.activities.local.InitScript;
import io.rdsflow.activities.local.InstanceConfFile;
import io.rdsflow.activities.local.ResourceLimits;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.workflows.activities.HostFileSteps;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Files on this host and resource limits of the node of {@code StepInput.role} (seed 003). */
public final class HostFileStepsImpl implements HostFileSteps {
  private final StepRunner runner;
  private final NodeAccess access;

  public HostFileStepsImpl(StepRunner runner, NodeAccess access) {
    this.runner = runner;
    this.access = access;
  }

  @Override
  public StepResult doAddPortToInstanceConfig(StepInput in) { // do_add_port_to_instance_config
    return runner.run(in, () -> {
      MysqldServer server = access.load(in).server();
      Path file = access.host.baseDir().resolve("instance.conf");
      boolean added = InstanceConfFile.add(file, server.port());
      return StepResult.of((added ? "added " : "already had ") + server.port() + " = 1 in " + file);
    });
  }

  private boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Override
  public StepResult doRebuildInitd(StepInput in) { // do_rebuild_initd
    return runner.run(in, () -> {
      MysqldServer server = access.load(in).server();
      Path script = InitScript.write(server, in.instanceId(), in.role(), asRoot());
      return StepResult.of("wrote " + script);
    });
  }

  @Override
  public StepResult doConfigResource(StepInput in) { // do_config_resource
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      MysqldServer server = n.server();
      long pid = server.runningPid().orElseThrow(() -> new IllegalStateException("server of " + in.role() + " is not running"));
      long nofile = ResourceLimits.openFiles(Integer.parseInt(n.params.getOrDefault("max_connections", "500")));
      return StepResult.of("pid " + pid + " open files (soft, hard): " + ResourceLimits.apply(pid, nofile));
    });
  }

  @Override
  public StepResult doPersistResourceConfig(StepInput in) { // do_persist_resource_config
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      MysqldServer server = n.server();
      long nofile = ResourceLimits.openFiles(Integer.parseInt(n.params.getOrDefault("max_connections", "500")));
      ResourceLimits.persist(server.home(), nofile);
      return StepResult.of("NOFILE=" + nofile + " in " + server.home().resolve(InitScript.RESOURCE_FILE));
    });
  }

  @Override
  public StepResult doWriteInsnameToFile(StepInput in) { // do_write_insname_to_file
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      MysqldServer server = n.server();
      InstanceDao.Instance ins = n.instance;
      Files.writeString(server.home().resolve("insname"), ins.name() + "\n");
      return StepResult.of("insname " + ins.name());
    });
  }

  @Override
  public StepResult doFlushInsinfoFile(StepInput in) { // do_flush_insinfo_file
    return runner.run(in, () -> {
      NodeContext n = access.load(in);
      MysqldServer server = n.server();
      InstanceDao.Instance ins = n.instance;
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("instanceId", ins.id());
      info.put("name", ins.name());
      info.put("role", in.role());
      info.put("port", server.port());
      info.put("engine", server.binaries().flavor().name().toLowerCase());
      info.put("version", server.binaries().version());
      if (ins.masterSlave()) {
        NodeDao.Node peer = n.peer();
        info.put("peer", access.address(peer) + ":" + peer.port());
      }
      Files.writeString(server.home().resolve("insinfo.json"), Json.write(info) + "\n");
      return StepResult.of("wrote " + server.home().resolve("insinfo.json"));
    });
  }
}

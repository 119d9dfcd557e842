package io.rdsflow.activities.steps;

import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.local.ParameterCatalog;
import io.rdsflow.activities.meta.CreateRequest;
import io.rdsflow.activities.meta.HostDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.mysqld.ServerBinaries;
import io.rdsflow.workflows.activities.ControlSteps;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.StepResult;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The metadata steps of seed 003 (control task queue). */
public final class ControlStepsImpl implements ControlSteps {
  /** rdsflow's own accounts on every local instance. */
  public static final String ADMIN = "rdsflow_admin";
  public static final String MONITOR = "rdsflow_monitor";
  public static final String REPL = "rdsflow_repl";
  /** Runs custom SQL metrics: SELECT on the application databases only, a statement time limit. */
  public static final String CUSTOM = "rdsflow_custom";
  /** MAX_STATEMENT_TIME of {@link #CUSTOM} on MariaDB, seconds. */
  public static final int CUSTOM_MAX_STATEMENT_SECONDS = 10;
  static final int HOST_ALIVE_SECONDS = 60;

  private final StepRunner runner;
  private final InstanceDao instances;
  private final NodeDao nodes;
  private final HostDao hosts;
  private final RequestDao requests;
  private final SecretCipher cipher;

  public ControlStepsImpl(StepRunner runner, InstanceDao instances, NodeDao nodes, HostDao hosts, RequestDao requests,
      SecretCipher cipher) {
    this.runner = runner;
    this.instances = instances;
    this.nodes = nodes;
    this.hosts = hosts;
    this.requests = requests;
    this.cipher = cipher;
  }

  private CreateRequest request(String instanceId) {
    return Json.read(instances.get(instanceId).requestJson(), CreateRequest.class);
  }

  @Override
  public StepResult doInit(StepInput in) { // do_init
    return runner.run(in, () -> {
      InstanceDao.Instance ins = instances.get(in.instanceId());
      CreateRequest req = request(in.instanceId());
      List<HostDao.Host> alive = hosts.alive(HOST_ALIVE_SECONDS);
      if (alive.isEmpty()) {
        throw new StepFailure("no host agent has reported in the last " + HOST_ALIVE_SECONDS
            + " s; start 'rdsflow server' or 'rdsflow agent' on a database host");
      }
      Map<String, HostDao.Host> chosen = new TreeMap<>();
      chosen.put(Role.MASTER.wire(), pick(alive, req.placement() == null ? null : req.placement().master(), null));
      if (ins.masterSlave()) {
        chosen.put(Role.SLAVE.wire(), pick(alive, req.placement() == null ? null : req.placement().slave(), chosen.get(Role.MASTER.wire())));
      }
      Map<String, String> placed = new TreeMap<>();
      List<String> endpoints = new ArrayList<>();
      for (Map.Entry<String, HostDao.Host> e : chosen.entrySet()) {
        HostDao.Host h = e.getValue();
        int port;
        try {
          port = nodes.allocatePort(in.instanceId(), Role.of(e.getKey()), h.name(), h.portFrom(), h.portTo());
        } catch (NodeDao.PortsExhausted full) {
          throw new StepFailure(full.getMessage());
        }
        nodes.upsert(in.instanceId(), Role.of(e.getKey()), h.name(), port);
        placed.put(e.getKey(), h.name());
        endpoints.add(e.getKey() + "=" + h.name() + ":" + port);
      }
      instances.rootPasswordIfAbsent(in.instanceId(), cipher.encrypt(randomPassword()));
      return new StepResult("placed " + String.join(", ", endpoints), placed, false);
    });
  }

  /** The requested host, else the least loaded one other than {@code avoid} (when there is one). */
  private static HostDao.Host pick(List<HostDao.Host> alive, String requested, HostDao.Host avoid) {
    if (requested != null) {
      return alive.stream().filter(h -> h.name().equals(requested)).findFirst()
          .orElseThrow(() -> new StepFailure("placement: host " + requested + " has no running agent"));
    }
    return alive.stream().filter(h -> avoid == null || !h.name().equals(avoid.name())).findFirst().orElse(alive.get(0));
  }

  @Override
  public StepResult doEnsureMinorVersion(StepInput in) { // do_ensure_minor_version
    return runner.run(in, () -> {
      InstanceDao.Instance ins = instances.get(in.instanceId());
      List<String> seen = new ArrayList<>();
      for (NodeDao.Node n : nodes.nodes(in.instanceId())) {
        HostDao.Host h = hosts.find(n.host()).orElseThrow(() -> new StepFailure("host " + n.host() + " is unknown"));
        if (!ServerBinaries.majorMinor(h.version()).equals(ins.engineVersion())) {
          throw new StepFailure("host " + h.name() + " runs " + h.flavor() + " " + h.version()
              + ", which cannot serve engineVersion " + ins.engineVersion());
        }
        seen.add(n.role() + ": " + h.flavor() + " " + h.version());
      }
      return StepResult.of(String.join(", ", seen));
    });
  }

  @Override
  public StepResult doBuildParams(StepInput in) { // do_build_params
    return runner.run(in, () -> {
      Map<String, String> params = new LinkedHashMap<>();
      Map<String, String> sources = new LinkedHashMap<>();
      ParameterCatalog.template().forEach((k, v) -> {
        params.put(k, v);
        sources.put(k, "template");
      });
      // The request's parameters as CreateInstance stored them: checked and normalised by the API, used
      // as they are. Rows of older releases hold the same form: every release stored the API's
      // normalize() output (storedRequest), the catalog of settable parameters has not changed since the
      // first one, and normalize() returns its own output unchanged, so normalising here again could
      // neither refuse nor change a stored value.
      Map<String, String> requested = request(in.instanceId()).parameters();
      if (requested != null) {
        requested.forEach((name, value) -> {
          params.put(name, value);
          sources.put(name, "request");
        });
      }
      requests.replaceParams(in.instanceId(), params, sources);
      return StepResult.of(params.size() + " parameters (" + (requested == null ? 0 : requested.size()) + " from the request)");
    });
  }

  @Override
  public StepResult doCalculateMaintainUserList(StepInput in) { // do_calculate_maintain_user_list
    return runner.run(in, () -> {
      requests.systemAccountIfAbsent(in.instanceId(), ADMIN, cipher.encrypt(randomPassword()), "[\"ALL\"]");
      requests.systemAccountIfAbsent(in.instanceId(), MONITOR, cipher.encrypt(randomPassword()), "[\"MONITOR\"]");
      requests.systemAccountIfAbsent(in.instanceId(), CUSTOM, cipher.encrypt(randomPassword()), "[\"CUSTOM_METRICS\"]");
      return StepResult.of("maintenance accounts " + ADMIN + ", " + MONITOR + ", " + CUSTOM);
    });
  }

  @Override
  public StepResult doInitReplicatorIntoMeta(StepInput in) { // do_init_replicator_into_meta
    return runner.run(in, () -> {
      requests.systemAccountIfAbsent(in.instanceId(), REPL, cipher.encrypt(randomPassword()), "[\"REPLICATION\"]");
      List<NodeDao.Node> n = nodes.nodes(in.instanceId());
      return StepResult.of("replication account " + REPL + "; dual master between "
          + String.join(" and ", n.stream().map(x -> x.role() + "@" + x.host() + ":" + x.port()).toList()));
    });
  }

  @Override
  public StepResult doUpdateMinorVersionInMetadb(StepInput in) { // do_update_minor_version_in_metadb
    return runner.run(in, () -> {
      NodeDao.Node master = nodes.node(in.instanceId(), Role.MASTER);
      String version = hosts.find(master.host()).orElseThrow().version();
      instances.setMinorVersion(in.instanceId(), version);
      return StepResult.of("minor version " + version);
    });
  }

  @Override
  public StepResult doFlushAdminWhitelist(StepInput in) { // do_flush_admin_whitelist
    return runner.run(in, () -> {
      Set<String> entries = new LinkedHashSet<>();
      entries.add("127.0.0.1");
      for (NodeDao.Node n : nodes.nodes(in.instanceId())) {
        hosts.find(n.host()).ifPresent(h -> entries.add(h.address()));
      }
      requests.replaceWhitelist(in.instanceId(), "admin", new ArrayList<>(entries));
      return StepResult.of("admin whitelist " + String.join(", ", entries));
    });
  }

  @Override
  public StepResult doFlushUserWhitelist(StepInput in) { // do_flush_user_whitelist
    return runner.run(in, () -> {
      List<String> entries = requests.whitelist(in.instanceId(), "user");
      if (entries.isEmpty()) {
        entries = List.of("127.0.0.1");
        requests.replaceWhitelist(in.instanceId(), "user", entries);
      }
      return StepResult.of("user whitelist " + String.join(", ", entries));
    });
  }

  @Override
  public StepResult doCheckAccountsAndDbs(StepInput in) { // do_check_accounts_and_dbs
    return runner.run(in, () -> StepResult.of(requests.summary(in.instanceId())));
  }

  @Override
  public StepResult doInsertBaklist(StepInput in) { // do_insert_baklist
    return runner.run(in, () -> {
      CreateRequest.Backup b = request(in.instanceId()).backup();
      int days = b == null ? 7 : b.retentionDays();
      String time = b == null ? "02:00" : b.preferredTime();
      requests.upsertBackupPlan(in.instanceId(), days, time);
      return StepResult.of("backups kept " + days + " days, taken at " + time);
    });
  }

  @Override
  public StepResult doInsertLogplan(StepInput in) { // do_insert_logplan
    return runner.run(in, () -> {
      String days = requests.params(in.instanceId()).getOrDefault("expire_logs_days", "7");
      requests.setBinlogRetention(in.instanceId(), Integer.parseInt(days));
      return StepResult.of("binlogs kept " + days + " days");
    });
  }

  @Override
  public StepResult doActiveInstanceForInstall(StepInput in) { // do_active_instance_for_install
    return runner.run(in, () -> {
      List<String> endpoints = new ArrayList<>();
      for (NodeDao.Node n : nodes.nodes(in.instanceId())) {
        String address = hosts.find(n.host()).map(HostDao.Host::address).orElse(n.host());
        endpoints.add(n.role() + " " + address + ":" + n.port());
      }
      return StepResult.of("endpoints " + String.join(", ", endpoints));
    });
  }

  @Override
  public StepResult doUpdateInsAccountStatus(StepInput in) { // do_update_ins_account_status
    return runner.run(in, () -> {
      requests.setAccountStatus(in.instanceId(), "user", "Available");
      requests.setDatabaseStatus(in.instanceId(), "Running");
      return StepResult.of("accounts Available, databases Running");
    });
  }

  @Override
  public StepResult doInsertInstancePerfTable(StepInput in) { // do_insert_instance_perf_table
    return runner.run(in, () -> {
      RequestDao.Account monitor = requests.account(in.instanceId(), MONITOR)
          .orElseThrow(() -> new StepFailure("the monitor account is missing from the metadata"));
      instances.setMonitoring(in.instanceId(), true, MONITOR, monitor.encryptedPassword());
      return StepResult.of("registered for collection as " + MONITOR);
    });
  }

  /** 24 random hex characters: safe in any quoting, 96 bits. */
  public static String randomPassword() {
    return "R" + HexFormat.of().formatHex(SecretCipher.randomBytes(12)) + "x";
  }
}

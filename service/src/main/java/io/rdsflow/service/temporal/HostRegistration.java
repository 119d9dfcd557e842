package io.rdsflow.service.temporal;

import io.dropwizard.lifecycle.Managed;
import io.rdsflow.activities.local.HostContext;
import io.rdsflow.activities.meta.HostDao;
import io.rdsflow.mysqld.ServerBinaries;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps this host's row in {@code hosts} fresh while its agent runs, so do_init may place nodes here. */
public final class HostRegistration implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(HostRegistration.class);
  private static final int PERIOD_SECONDS = 10;

  private final HostContext host;
  private final HostDao hosts;
  private ScheduledExecutorService timer;

  public HostRegistration(HostContext host, HostDao hosts) {
    this.host = host;
    this.hosts = hosts;
  }

  @Override
  public void start() {
    beat();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "host-registration");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::beatQuietly, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    LOG.info("Host {} registered: instances under {}, listening on {}, ports {}", host.name(), host.baseDir(),
        host.bindAddress(), host.portRange());
  }

  private void beat() {
    ServerBinaries bin = host.server();
    hosts.heartbeat(new HostDao.Host(host.name(), host.address(), host.baseDir().toString(), bin.flavor().name(),
        bin.version(), host.portRange()));
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (RuntimeException e) {
      LOG.warn("Host {} heartbeat failed: {}", host.name(), e.getMessage());
    }
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}

package io.rdsflow.activities.local;

import io.rdsflow.mysqld.MysqldServer;
import io.rdsflow.workflows.domain.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A start/stop/status script per node ({@code do_rebuild_initd}), so an operator (or an init system)
 * can run the node without rdsflow. It applies the persisted resource limits on start.
 */
public final class InitScript {
  public static final String NAME = "rdsflow-initd.sh";
  public static final String RESOURCE_FILE = "resource.conf";

  private InitScript() {}

  public static Path write(MysqldServer server, String instanceId, Role role, boolean asRoot) throws IOException {
    Path home = server.home();
    String script = """
        #!/bin/sh
        # %s %s: start | stop | status. Written by rdsflow (do_rebuild_initd).
        HOME_DIR='%s'
        CNF="$HOME_DIR/my.cnf"
        PIDFILE='%s'
        SERVER='%s'
        pid() { [ -f "$PIDFILE" ] && cat "$PIDFILE"; }
        running() { p=$(pid) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null && grep -q "$CNF" "/proc/$p/cmdline" 2>/dev/null; }
        case "$1" in
          start)
            if running; then echo "running (pid $(pid))"; exit 0; fi
            [ -f "$HOME_DIR/%s" ] && . "$HOME_DIR/%s" && [ -n "$NOFILE" ] && { ulimit -n "$NOFILE" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; }
            rm -f "$PIDFILE"
            setsid "$SERVER" --defaults-file="$CNF" %s >>"$HOME_DIR/log/stdout.log" 2>&1 </dev/null &
            i=0; while [ $i -lt 600 ]; do running && { echo "started (pid $(pid))"; exit 0; }; i=$((i+1)); sleep 0.1; done
            echo "did not start; see $HOME_DIR/log/error.log" >&2; exit 1 ;;
          stop)
            running || { echo "stopped"; exit 0; }
            p=$(pid); kill "$p"
            i=0; while [ $i -lt 600 ]; do kill -0 "$p" 2>/dev/null || { echo "stopped"; exit 0; }; i=$((i+1)); sleep 0.1; done
            kill -9 "$p"; echo "killed"; exit 0 ;;
          status)
            if running; then echo "running (pid $(pid))"; exit 0; else echo "stopped"; exit 3; fi ;;
          *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
        esac
        """.formatted(instanceId, role, home, server.pidFile(), server.binaries().server(), RESOURCE_FILE, RESOURCE_FILE,
        asRoot ? "--user=root" : "");
    Path file = home.resolve(NAME);
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
    return file;
  }
}

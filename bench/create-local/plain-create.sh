#!/usr/bin/env bash
# The baseline of the create-local benchmark: what an operator would type to build the same
# master+slave pair the local engine builds, one command after another, with the same binaries and
# the same server settings (see NodeServer.java and ParameterCatalog.template()).
#
#   plain-create.sh create  DIR MASTER_PORT SLAVE_PORT   # build the pair under DIR
#   plain-create.sh destroy DIR                          # stop both servers (by pid) and remove DIR
#
# `create` prints one line per phase to DIR/phases.tsv (phase, seconds) and nothing on success
# except errors; it exits non-zero on the first failure (the caller cleans up with `destroy`).
#
# Essential operations, in order (sequential, no parallelism between the two nodes):
#   per node : directory tree + my.cnf (binlog, gtid_domain_id, server_id, auto_increment,
#              skip-name-resolve, bind 127.0.0.1), mariadb-install-db, setsid mariadbd,
#              wait until it answers, secure root (password, password-less roots dropped),
#              admin/monitor/repl accounts (sql_log_bin=0, so nothing collides on the peer)
#   pair     : dual-master replication (CHANGE MASTER ... MASTER_USE_GTID=slave_pos; START SLAVE
#              on both), wait until both threads run on both sides
#   master   : user account + database (replicated), time zone tables (replicated)
#   both     : SET GLOBAL time_zone (on the slave: retried until the zone has replicated) + my.cnf
#   slave    : read_only live + in my.cnf
#   master   : first full backup (mariadb-backup --backup + --prepare if installed, else mariadb-dump)
set -euo pipefail

BIND=127.0.0.1
TZ_NAME=${PLAIN_TIME_ZONE:-Asia/Shanghai}
USER_NAME=app
USER_PASSWORD='Passw0rd!x'
DB_NAME=shop

die() { echo "plain-create: $*" >&2; exit 1; }
bin() { command -v "$1" || die "$1 not found on PATH"; }

MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
[ -x "$MARIADBD" ] || die "mariadbd not found"
INSTALL_DB=$(bin mariadb-install-db)
CLIENT=$(bin mariadb)
ADMIN=$(bin mariadb-admin)
TZINFO=$(bin mariadb-tzinfo-to-sql)
BACKUP=$(command -v mariadb-backup || true)
DUMP=$(bin mariadb-dump)

randpw() { head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20; }

phase_start() { PHASE=$1; PHASE_T0=$EPOCHREALTIME; }
phase_end() { awk -v p="$PHASE" -v a="$PHASE_T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%s\t%.3f\n", p, b - a }' >>"$DIR/phases.tsv"; }

# sql NODE_HOME STATEMENTS... : run SQL as root with the stored password (option file, mode 0600)
sql() { local h=$1; shift; "$CLIENT" --defaults-file="$h/client.cnf" -N -B -e "$*"; }

write_cnf() { # home port role
  local h=$1 port=$2 role=$3 id offset domain
  if [ "$role" = master ]; then id=1; offset=1; domain=1; else id=2; offset=2; domain=2; fi
  mkdir -p "$h"/{data,tmp,log,run,binlog,relay,backup}
  cat >"$h/my.cnf" <<EOF
[client]
port=$port
socket=$h/run/s.sock

[mariadbd]
port=$port
bind-address=$BIND
socket=$h/run/s.sock
pid-file=$h/run/mysqld.pid
datadir=$h/data
tmpdir=$h/tmp
log-error=$h/log/error.log
skip-name-resolve
server_id=$((port * 10 + id))
log_bin=$h/binlog/mysql-bin
relay_log=$h/relay/relay-bin
binlog_format=ROW
log_slave_updates=ON
slow_query_log_file=$h/log/slow.log
gtid_domain_id=$domain
auto_increment_increment=2
auto_increment_offset=$offset
character_set_server=utf8mb4
max_connections=500
innodb_buffer_pool_size=32M
performance_schema=OFF
slow_query_log=ON
long_query_time=1
expire_logs_days=7
EOF
}

install_db() { # home
  local h=$1
  "$INSTALL_DB" --defaults-file="$h/my.cnf" --auth-root-authentication-method=normal --skip-test-db \
    --skip-log-bin --datadir="$h/data" --user=root >"$h/log/install.log" 2>&1 \
    || die "mariadb-install-db failed for $h: $(tail -3 "$h/log/install.log")"
}

start_and_wait() { # home
  local h=$1 i pid
  setsid "$MARIADBD" --defaults-file="$h/my.cnf" --user=root </dev/null >>"$h/log/stdout.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 1200; i++)); do # up to 60 s
    "$ADMIN" --no-defaults -S "$h/run/s.sock" -uroot --connect-timeout=1 ping >/dev/null 2>&1 && return 0
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
  done
  die "server in $h did not answer: $(tail -3 "$h/log/error.log")"
}

secure_and_accounts() { # home
  local h=$1
  # fresh data directory: the roots have no password yet
  local fresh=("$CLIENT" --no-defaults -S "$h/run/s.sock" -uroot -N -B) drops
  drops=$("${fresh[@]}" -e "SELECT CONCAT('DROP USER IF EXISTS ', QUOTE(user), '@', QUOTE(host), ';') FROM mysql.user
    WHERE (user='root' AND host NOT IN ('localhost','127.0.0.1')) OR user=''")
  "${fresh[@]}" -e "
    SET sql_log_bin=0;
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '$ROOT_PW';
    ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '$ROOT_PW';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    $drops
    ALTER USER 'root'@'localhost' IDENTIFIED BY '$ROOT_PW';
    FLUSH PRIVILEGES;"
  umask 077
  printf '[client]\nuser=root\npassword=%s\nsocket=%s\n' "$ROOT_PW" "$h/run/s.sock" >"$h/client.cnf"
  umask 022
  sql "$h" "
    SET sql_log_bin=0;
    CREATE USER 'rdsflow_admin'@'127.0.0.1' IDENTIFIED BY '$ADMIN_PW';
    GRANT ALL PRIVILEGES ON *.* TO 'rdsflow_admin'@'127.0.0.1' WITH GRANT OPTION;
    CREATE USER 'rdsflow_monitor'@'127.0.0.1' IDENTIFIED BY '$MONITOR_PW';
    GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR ON *.* TO 'rdsflow_monitor'@'127.0.0.1';
    CREATE USER 'rdsflow_repl'@'127.0.0.1' IDENTIFIED BY '$REPL_PW';
    GRANT REPLICATION SLAVE ON *.* TO 'rdsflow_repl'@'127.0.0.1';"
}

follow() { # home peer_port
  sql "$1" "CHANGE MASTER TO MASTER_HOST='$BIND', MASTER_PORT=$2, MASTER_USER='rdsflow_repl',
    MASTER_PASSWORD='$REPL_PW', MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=slave_pos; START SLAVE;"
}

wait_replicating() { # home
  local h=$1 i st
  for ((i = 0; i < 600; i++)); do # up to 60 s
    st=$("$CLIENT" --defaults-file="$h/client.cnf" -e "SHOW SLAVE STATUS\G" | awk '/^ *Slave_(IO|SQL)_Running:/ {print $2}' | tr -d '\n')
    [ "$st" = YesYes ] && return 0
    sleep 0.1
  done
  die "replication on $h not running: $("$CLIENT" --defaults-file="$h/client.cnf" -e "SHOW SLAVE STATUS\G" | grep -E 'Last_(IO|SQL)_Error:')"
}

cmd_create() {
  DIR=$1 MPORT=$2 SPORT=$3
  [ ! -e "$DIR" ] || die "$DIR exists"
  mkdir -p "$DIR"
  : >"$DIR/phases.tsv"
  M=$DIR/master S=$DIR/slave
  ROOT_PW=$(randpw) ADMIN_PW=$(randpw) MONITOR_PW=$(randpw) REPL_PW=$(randpw)

  phase_start "dirs + my.cnf (both)";          write_cnf "$M" "$MPORT" master; write_cnf "$S" "$SPORT" slave; phase_end
  phase_start "mariadb-install-db master";     install_db "$M"; phase_end
  phase_start "mariadb-install-db slave";      install_db "$S"; phase_end
  phase_start "start + wait master";           start_and_wait "$M"; phase_end
  phase_start "start + wait slave";            start_and_wait "$S"; phase_end
  phase_start "secure root + accounts master"; secure_and_accounts "$M"; phase_end
  phase_start "secure root + accounts slave";  secure_and_accounts "$S"; phase_end
  phase_start "dual-master replication";       follow "$S" "$MPORT"; follow "$M" "$SPORT"
                                               wait_replicating "$S"; wait_replicating "$M"; phase_end
  phase_start "user account + database";       sql "$M" "
    CREATE USER '$USER_NAME'@'127.0.0.1' IDENTIFIED BY '$USER_PASSWORD';
    CREATE DATABASE IF NOT EXISTS $DB_NAME CHARACTER SET utf8mb4;
    GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, CREATE TEMPORARY TABLES, LOCK TABLES,
      EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, TRIGGER, REFERENCES
      ON $DB_NAME.* TO '$USER_NAME'@'127.0.0.1';"; phase_end
  phase_start "time zone tables (master)";     "$TZINFO" /usr/share/zoneinfo 2>/dev/null \
                                                 | "$CLIENT" --defaults-file="$M/client.cnf" mysql; phase_end
  phase_start "set time zone (both)"
  # the slave knows the zone as soon as its rows have replicated: retry on 1298 (unknown time zone)
  local h i
  for h in "$M" "$S"; do
    for ((i = 0; ; i++)); do
      sql "$h" "SET GLOBAL time_zone='$TZ_NAME'" 2>"$DIR/tz.err" && break
      grep -q 1298 "$DIR/tz.err" && [ $i -lt 600 ] || die "SET GLOBAL time_zone on $h: $(cat "$DIR/tz.err")"
      sleep 0.1
    done
    echo "default-time-zone=$TZ_NAME" >>"$h/my.cnf"
  done
  phase_end
  phase_start "read_only slave";               sql "$S" "SET GLOBAL read_only=1"; echo "read_only=ON" >>"$S/my.cnf"; phase_end
  phase_start "first backup (master)"
  if [ -n "$BACKUP" ]; then
    umask 077
    { cat "$M/my.cnf"; printf '\n[client]\nuser=root\npassword=%s\n' "$ROOT_PW"; } >"$M/backup/.client.cnf"
    umask 022
    "$BACKUP" --defaults-file="$M/backup/.client.cnf" --backup --target-dir="$M/backup/full" \
      --socket="$M/run/s.sock" --datadir="$M/data" >>"$M/backup/backup.log" 2>&1 || die "mariadb-backup --backup failed"
    "$BACKUP" --prepare --target-dir="$M/backup/full" >>"$M/backup/backup.log" 2>&1 || die "mariadb-backup --prepare failed"
    rm -f "$M/backup/.client.cnf"
  else
    "$DUMP" --defaults-extra-file="$M/client.cnf" --single-transaction --gtid --master-data=2 --routines --events \
      --all-databases --result-file="$M/backup/full.sql" >>"$M/backup/backup.log" 2>&1 || die "mariadb-dump failed"
  fi
  phase_end
}

cmd_destroy() {
  local dir=$1 h pid i
  [ -d "$dir" ] || return 0
  for h in "$dir/master" "$dir/slave"; do
    pid=$(cat "$h/run/mysqld.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$h/my.cnf"; then
      kill "$pid" 2>/dev/null || true
      for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$dir"
}

case "${1:-}" in
  create) [ $# -eq 4 ] || die "usage: $0 create DIR MASTER_PORT SLAVE_PORT"; cmd_create "$2" "$3" "$4" ;;
  destroy) [ $# -eq 2 ] || die "usage: $0 destroy DIR"; cmd_destroy "$2" ;;
  *) die "usage: $0 create DIR MASTER_PORT SLAVE_PORT | destroy DIR" ;;
esac

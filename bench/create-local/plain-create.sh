#!/usr/bin/env bash
# The baseline of the create-local benchmark: the best a shell script can do to build the same
# master+slave pair the local engine builds, with the same binaries, the same server settings (see
# NodeServer.java and ParameterCatalog.template()) and the same shortcuts the product takes:
#
#   plain-create.sh template TEMPLATE                          # once per host, outside the timed run
#   plain-create.sh create   DIR MASTER_PORT SLAVE_PORT TEMPLATE  # build the pair under DIR (timed)
#   plain-create.sh destroy  DIR                               # stop both servers (by pid), remove DIR
#
# `template` makes a pristine data directory (mariadb-install-db, then the time zone tables loaded
# through a short-lived socket-only server without binlog), like DataDirTemplate.java does once per
# host; it does nothing when TEMPLATE is already complete. `create` copies it for each node.
#
# `create` appends one line per phase to DIR/phases.tsv (phase, seconds): the stages, and indented
# below a stage the per-node parts that ran concurrently in it. It prints nothing on success except
# errors and exits non-zero on the first failure (the caller cleans up with `destroy`).
#
# Stages of `create`, in the product's order (LocalPlan.java); "both" = master and slave concurrently
# (bash & + wait) exactly where the product runs the master's and the slave's step in one stage:
#   both  : directory tree + my.cnf (binlog, gtid_domain_id, server_id, auto_increment, skip-name-resolve,
#           bind 127.0.0.1); copy the template's data directory; setsid mariadbd; wait until it answers;
#           secure root (password, every other root and anonymous account dropped) and the
#           rdsflow_repl/_admin/_monitor accounts, sql_log_bin=0, in one client call
#   both  : dual-master replication (CHANGE MASTER ... MASTER_USE_GTID=slave_pos; START SLAVE), wait
#           until both threads run
#   master: user account + database (replicated to the slave)
#   both  : SET GLOBAL time_zone + default-time-zone in my.cnf (the zones come with the template);
#           on the slave also read_only live + in my.cnf; open-files limit of the server (prlimit)
#   master: first full backup (mariadb-backup --backup + --prepare if installed, else mariadb-dump)
#   slave : MASTER_GTID_WAIT(the master's @@gtid_binlog_pos): the slave applied everything
# Every password reaches a server only as its hash: IDENTIFIED WITH mysql_native_password AS
# '*'+upper(hex(sha1(sha1(password)))), computed here with sha1sum and xxd.
set -euo pipefail

BIND=127.0.0.1
TZ_NAME=${PLAIN_TIME_ZONE:-Asia/Shanghai}
USER_NAME=app
USER_PASSWORD='Passw0rd!x'
DB_NAME=shop
MAX_CONNECTIONS=500

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
XXD=$(bin xxd)

randpw() { head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20; }

# mysql_native_password hash, what PASSWORD() returns: '*' + upper(hex(sha1(sha1(pw))))
native_hash() {
  local h
  h=$(printf %s "$1" | sha1sum | "$XXD" -r -p | sha1sum)
  h=${h:0:40}
  printf '*%s' "${h^^}"
}
identified() { printf "IDENTIFIED WITH mysql_native_password AS '%s'" "$(native_hash "$1")"; }

# phases: PHASE_T0 per stage (main shell) or per node part (background subshells); one short
# appending write per line, so concurrent writers do not interleave
now() { echo "$EPOCHREALTIME"; }
phase() { # name t0
  awk -v p="$1" -v a="$2" -v b="$EPOCHREALTIME" 'BEGIN { printf "%s\t%.3f\n", p, b - a }' >>"$DIR/phases.tsv"
}

# sql HOME STATEMENTS... : run SQL as root with the stored password (option file, mode 0600)
sql() { local h=$1; shift; "$CLIENT" --defaults-file="$h/client.cnf" -N -B -e "$*"; }

# both FUNCTION ARGS... : FUNCTION master ARGS & FUNCTION slave ARGS, wait for both, fail if either did
both() {
  local f=$1 a b rc=0
  shift
  "$f" master "$@" & a=$!
  "$f" slave "$@" & b=$!
  wait "$a" || rc=1
  wait "$b" || rc=1
  [ $rc = 0 ] || die "$f failed (see above)"
}

wait_socket_ping() { # socket pid errlog : until the server answers on its socket (checked every 10 ms)
  local sock=$1 pid=$2 err=$3 i
  for ((i = 0; i < 6000; i++)); do # up to 60 s
    if [ -S "$sock" ] && "$ADMIN" --no-defaults -S "$sock" -uroot --connect-timeout=1 ping >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  die "server with socket $sock did not answer: $(tail -3 "$err" 2>/dev/null)"
}

# --- template: once per host, outside the timed run ------------------------------------------------

cmd_template() {
  local t=$1 pid
  [ -f "$t/.ready" ] && return 0
  rm -rf "$t"
  mkdir -p "$t"/{data,run,log,tmp}
  cat >"$t/my.cnf" <<EOF
[mariadbd]
socket=$t/run/s.sock
pid-file=$t/run/mysqld.pid
datadir=$t/data
tmpdir=$t/tmp
log-error=$t/log/error.log
lower_case_table_names=0
skip-networking
EOF
  "$INSTALL_DB" --defaults-file="$t/my.cnf" --auth-root-authentication-method=normal --skip-test-db \
    --skip-log-bin --datadir="$t/data" --user=root >"$t/log/install.log" 2>&1 \
    || die "mariadb-install-db failed for $t: $(tail -3 "$t/log/install.log")"
  setsid "$MARIADBD" --defaults-file="$t/my.cnf" --user=root </dev/null >>"$t/log/stdout.log" 2>&1 &
  pid=$!
  wait_socket_ping "$t/run/s.sock" "$pid" "$t/log/error.log"
  local c=("$CLIENT" --no-defaults -S "$t/run/s.sock" -uroot -N -B)
  "$TZINFO" /usr/share/zoneinfo 2>/dev/null | "${c[@]}" mysql || die "loading the time zones into $t failed"
  # every copy has the same accounts: the roots other than localhost/127.0.0.1 and the anonymous
  # ones to drop on each node are known now, once
  "${c[@]}" -e "SELECT CONCAT('DROP USER IF EXISTS ', QUOTE(user), '@', QUOTE(host), ';') FROM mysql.user
    WHERE (user='root' AND host NOT IN ('localhost','127.0.0.1')) OR user=''" >"$t/drop-users.sql"
  "${c[@]}" -e "SELECT COUNT(*) FROM mysql.time_zone_name" >"$t/zones"
  "$ADMIN" --no-defaults -S "$t/run/s.sock" -uroot shutdown
  wait "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$t/data/auto.cnf" "$t/run/"*
  [ "$(cat "$t/zones")" -gt 0 ] || die "no time zones in the template $t"
  touch "$t/.ready"
}

# --- create ------------------------------------------------------------------------------------------

write_cnf() { # role
  local r=$1 h=${HOME_OF[$1]} port=${PORT_OF[$1]} id offset domain
  if [ "$r" = master ]; then id=1; offset=1; domain=1; else id=2; offset=2; domain=2; fi
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
max_connections=$MAX_CONNECTIONS
innodb_buffer_pool_size=32M
performance_schema=OFF
slow_query_log=ON
long_query_time=1
expire_logs_days=7
EOF
  umask 077
  printf '[client]\nuser=root\npassword=%s\nsocket=%s\n' "$ROOT_PW" "$h/run/s.sock" >"$h/client.cnf"
  umask 022
}

node_up() { # role : dirs + my.cnf, copy of the template, start, wait, root + service accounts
  local r=$1 h=${HOME_OF[$1]} t0 pid
  t0=$(now)
  write_cnf "$r"
  cp -a "$TEMPLATE/data/." "$h/data/"
  phase "  $r: dirs + my.cnf + copy template" "$t0"
  t0=$(now)
  setsid "$MARIADBD" --defaults-file="$h/my.cnf" --user=root </dev/null >>"$h/log/stdout.log" 2>&1 &
  pid=$!
  echo "$pid" >"$h/run/started.pid"
  wait_socket_ping "$h/run/s.sock" "$pid" "$h/log/error.log"
  phase "  $r: start + wait until it answers" "$t0"
  t0=$(now)
  "$CLIENT" --no-defaults -S "$h/run/s.sock" -uroot -N -B -e "
    SET sql_log_bin=0;
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' $ROOT_ID;
    ALTER USER 'root'@'127.0.0.1' $ROOT_ID;
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    $(cat "$TEMPLATE/drop-users.sql")
    ALTER USER 'root'@'localhost' $ROOT_ID;
    CREATE USER 'rdsflow_repl'@'127.0.0.1' $REPL_ID;
    GRANT REPLICATION SLAVE ON *.* TO 'rdsflow_repl'@'127.0.0.1';
    CREATE USER 'rdsflow_admin'@'127.0.0.1' $ADMIN_ID;
    GRANT ALL PRIVILEGES ON *.* TO 'rdsflow_admin'@'127.0.0.1' WITH GRANT OPTION;
    CREATE USER 'rdsflow_monitor'@'127.0.0.1' $MONITOR_ID;
    GRANT PROCESS, REPLICATION CLIENT, SELECT, SLAVE MONITOR ON *.* TO 'rdsflow_monitor'@'127.0.0.1';
    FLUSH PRIVILEGES;"
  phase "  $r: secure root + service accounts" "$t0"
}

node_follow() { # role : replicate from the peer, wait until both threads run (checked every 20 ms)
  local r=$1 h=${HOME_OF[$1]} peer i st
  if [ "$r" = master ]; then peer=${PORT_OF[slave]}; else peer=${PORT_OF[master]}; fi
  sql "$h" "CHANGE MASTER TO MASTER_HOST='$BIND', MASTER_PORT=$peer, MASTER_USER='rdsflow_repl',
    MASTER_PASSWORD='$REPL_PW', MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=slave_pos; START SLAVE;"
  chmod 600 "$h/data/master.info" 2>/dev/null || true
  for ((i = 0; i < 3000; i++)); do # up to 60 s
    st=$("$CLIENT" --defaults-file="$h/client.cnf" -e "SHOW SLAVE STATUS\G" | awk '/^ *Slave_(IO|SQL)_Running:/ {print $2}' | tr -d '\n')
    [ "$st" = YesYes ] && return 0
    sleep 0.02
  done
  die "replication on $r not running: $("$CLIENT" --defaults-file="$h/client.cnf" -e "SHOW SLAVE STATUS\G" | grep -E 'Last_(IO|SQL)_Error:')"
}

node_finish() { # role : time zone (+ read_only on the slave) live and in my.cnf, open-files limit
  local r=$1 h=${HOME_OF[$1]} ro="" pid hard soft
  [ "$r" = slave ] && ro="SET GLOBAL read_only=1;"
  sql "$h" "SET GLOBAL time_zone='$TZ_NAME'; $ro"
  echo "default-time-zone=$TZ_NAME" >>"$h/my.cnf"
  [ "$r" = slave ] && echo "read_only=ON" >>"$h/my.cnf"
  pid=$(cat "$h/run/mysqld.pid")
  hard=$(awk '/^Max open files/ { print $5 }' "/proc/$pid/limits")
  soft=$(( MAX_CONNECTIONS * 4 + 1024 > 65535 ? MAX_CONNECTIONS * 4 + 1024 : 65535 ))
  [ "$hard" != unlimited ] && [ "$soft" -gt "$hard" ] && soft=$hard
  prlimit --pid "$pid" --nofile="$soft:$hard"
}

cmd_create() {
  DIR=$1 TEMPLATE=$4
  [ -f "$TEMPLATE/.ready" ] || die "$TEMPLATE is no complete template: run '$0 template $TEMPLATE' first"
  [ ! -e "$DIR" ] || die "$DIR exists"
  mkdir -p "$DIR"
  : >"$DIR/phases.tsv"
  declare -gA HOME_OF=([master]=$DIR/master [slave]=$DIR/slave) PORT_OF=([master]=$2 [slave]=$3)
  local M=$DIR/master S=$DIR/slave t0 pos got
  t0=$(now)
  ROOT_PW=$(randpw) ADMIN_PW=$(randpw) MONITOR_PW=$(randpw) REPL_PW=$(randpw)
  ROOT_ID=$(identified "$ROOT_PW") ADMIN_ID=$(identified "$ADMIN_PW") MONITOR_ID=$(identified "$MONITOR_PW")
  REPL_ID=$(identified "$REPL_PW") USER_ID=$(identified "$USER_PASSWORD")
  phase "passwords + hashes" "$t0"

  t0=$(now); both node_up;            phase "both: node up (copy, start, root, accounts)" "$t0"
  t0=$(now); both node_follow;        phase "both: dual-master replication running" "$t0"
  t0=$(now)
  sql "$M" "
    CREATE USER '$USER_NAME'@'127.0.0.1' $USER_ID;
    CREATE DATABASE IF NOT EXISTS $DB_NAME CHARACTER SET utf8mb4;
    GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, CREATE TEMPORARY TABLES, LOCK TABLES,
      EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, TRIGGER, REFERENCES
      ON $DB_NAME.* TO '$USER_NAME'@'127.0.0.1';"
  phase "master: user account + database" "$t0"
  t0=$(now); both node_finish;        phase "both: time zone, read_only slave, open files" "$t0"

  t0=$(now)
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
  phase "master: first backup" "$t0"

  t0=$(now)
  pos=$(sql "$M" "SELECT @@gtid_binlog_pos")
  got=$(sql "$S" "SELECT MASTER_GTID_WAIT('$pos', 60)")
  [ "$got" = 0 ] || die "the slave did not reach the master's position $pos (MASTER_GTID_WAIT returned $got)"
  phase "slave: caught up with master ($pos)" "$t0"
}

cmd_destroy() {
  local dir=$1 h pid i
  [ -d "$dir" ] || return 0
  for h in "$dir/master" "$dir/slave"; do
    pid=$(cat "$h/run/mysqld.pid" 2>/dev/null || cat "$h/run/started.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$h/my.cnf"; then
      kill "$pid" 2>/dev/null || true
      for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$dir"
}

case "${1:-}" in
  template) [ $# -eq 2 ] || die "usage: $0 template TEMPLATE"; cmd_template "$2" ;;
  create) [ $# -eq 5 ] || die "usage: $0 create DIR MASTER_PORT SLAVE_PORT TEMPLATE"; cmd_create "$2" "$3" "$4" "$5" ;;
  destroy) [ $# -eq 2 ] || die "usage: $0 destroy DIR"; cmd_destroy "$2" ;;
  *) die "usage: $0 template TEMPLATE | create DIR MASTER_PORT SLAVE_PORT TEMPLATE | destroy DIR" ;;
esac

#!/usr/bin/env python3
"""The bench's SQL client (PyMySQL), three commands; the password comes from $WRITER_PASSWORD.

  writer.py setup HOST PORT USER DB
      creates DB.w (k BIGINT PRIMARY KEY, t DOUBLE): k is chosen by the client, never by the server, so
      a row lost on a dead master cannot be mistaken for a new row that got the same AUTO_INCREMENT id
      on the promoted slave.

  writer.py write HOST PORT USER DB INTERVAL_S LOG [FIRST_K]
      every INTERVAL_S seconds (a fixed cadence; a late tick is not made up with a burst) inserts one
      row (autocommit) over one connection kept open; on any error the connection is dropped and the
      next tick opens a new one (connect timeout 1 s, read/write timeout 2 s). Until SIGTERM/SIGINT.
      LOG gets one tab-separated line per event, flushed at once:
        conn  <t>  <port>                      a new connection; <port> is the server's @@port behind it
        ok    <k>  <t_start>  <t_ack>  <port>  an acknowledged insert (the server said OK to the commit)
        err   <k>  <t_start>  <t_end>  <code>  <message>
      times are epoch seconds (time.time(), the clock bash's $EPOCHREALTIME and the service read).

  writer.py check HOST PORT USER DB LOG
      prints JSON {acknowledged, present, missing, missing_keys (the first 50)}: the keys LOG lists as
      acknowledged that DB.w on HOST:PORT lacks.
"""
import json
import os
import signal
import sys
import time

import pymysql

PASSWORD = os.environ.get("WRITER_PASSWORD", "")


def connect(host, port, user, db):
    return pymysql.connect(host=host, port=int(port), user=user, password=PASSWORD, database=db,
                           connect_timeout=1, read_timeout=2, write_timeout=2, autocommit=True)


def setup(host, port, user, db):
    c = connect(host, port, user, db)
    with c.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS w (k BIGINT PRIMARY KEY, t DOUBLE NOT NULL)")
    c.close()


def write(host, port, user, db, interval, log_path, first_k=1):
    interval = float(interval)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    out = open(log_path, "a", buffering=1)
    c = None
    k = int(first_k)
    backend = ""
    next_t = time.monotonic()
    while not stop:
        now = time.monotonic()
        if now < next_t:
            time.sleep(next_t - now)
            if stop:
                break
        next_t += interval
        if next_t < time.monotonic():
            next_t = time.monotonic()
        t_start = time.time()
        try:
            if c is None:
                c = connect(host, port, user, db)
                with c.cursor() as cur:
                    cur.execute("SELECT @@port")
                    backend = str(cur.fetchone()[0])
                out.write(f"conn\t{time.time():.6f}\t{backend}\n")
            with c.cursor() as cur:
                cur.execute("INSERT INTO w (k, t) VALUES (%s, %s)", (k, t_start))
            out.write(f"ok\t{k}\t{t_start:.6f}\t{time.time():.6f}\t{backend}\n")
        except Exception as e:  # any failure: count it, drop the connection, try again next tick
            code = e.args[0] if getattr(e, "args", None) and isinstance(e.args[0], int) else type(e).__name__
            msg = str(e.args[1] if len(getattr(e, "args", ())) > 1 else e).replace("\t", " ").replace("\n", " ")[:160]
            out.write(f"err\t{k}\t{t_start:.6f}\t{time.time():.6f}\t{code}\t{msg}\n")
            if c is not None:
                try:
                    c.close()
                except Exception:
                    pass
            c = None
        k += 1  # never reused: an unacknowledged key may or may not be in the table, that is fine
    if c is not None:
        try:
            c.close()
        except Exception:
            pass
    out.close()


def check(host, port, user, db, log_path):
    acked = set()
    with open(log_path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "ok":
                acked.add(int(p[1]))
    c = connect(host, port, user, db)
    with c.cursor() as cur:
        cur.execute("SELECT k FROM w")
        present = {r[0] for r in cur.fetchall()}
    c.close()
    missing = sorted(acked - present)
    print(json.dumps({"acknowledged": len(acked), "present": len(present), "missing": len(missing),
                      "missing_keys": missing[:50]}))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"setup": setup, "write": write, "check": check}[cmd](*args)

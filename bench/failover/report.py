#!/usr/bin/env python3
"""The report of bench/failover/run from the files it left in its temp dir (see run for their columns):
   report.py WORK WRITE_MS SWITCH_MS PROBE_INTERVAL FAILED_PROBES"""
import json
import os
import re
import statistics
import sys
from collections import Counter
from datetime import datetime, timezone

work, write_ms, switch_ms, probe, probes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
RTO_GOAL, KUBEBLOCKS, WINDOW_GOAL = 15.0, 30.0, 2.0
med = statistics.median


def ts(s):
    """An ISO-8601 instant from the API (nanoseconds allowed) -> epoch seconds."""
    if not s:
        return None
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$", s)
    base = datetime.fromisoformat(m.group(1)).replace(tzinfo=timezone.utc)
    if m.group(3) and m.group(3) != "Z":
        base = datetime.fromisoformat(m.group(1) + m.group(3))
    return base.timestamp() + (float("0." + m.group(2)) if m.group(2) else 0.0)


def rows(name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip()]


def writer_log(name):
    acks, errs, conns = [], [], []
    for p in rows(name):
        if p[0] == "ok":
            acks.append((int(p[1]), float(p[2]), float(p[3]), p[4]))
        elif p[0] == "err":
            errs.append((int(p[1]), float(p[2]), float(p[3]), p[4], p[5] if len(p) > 5 else ""))
        elif p[0] == "conn":
            conns.append((float(p[1]), p[2]))
    return acks, errs, conns


def load(name):
    try:
        with open(os.path.join(work, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def stat_line(label, xs, unit, goal=None, goal_text=""):
    if not xs:
        return f" {label:<46}   no data"
    s = f" {label:<46}{med(xs):8.2f} {unit}   min {min(xs):.2f}, max {max(xs):.2f} (n={len(xs)})"
    return s + (f"; {goal_text}" if goal_text else "")


def f2(x, d=2):
    return "-" if x is None else f"{x:.{d}f}"


meta = {r[0]: r[1:] for r in rows("meta.tsv")}
m1 = lambda k, d="?": meta.get(k, [d])[0]
W = 104
print()
print("=" * W)
print(f" rdsflow failover bench, {m1('started')}, HEAD {m1('commit')} ({m1('dirty')} tracked files modified in the work tree),"
      f" jar built {m1('jar_built')}")
print(f" {m1('cores')} cores, MariaDB {m1('mariadbd')}; load average {m1('load_start')} at the start, {m1('load_end')} at the end;"
      f" Maven builds running: {m1('maven_start')} at the start, {m1('maven_end')} at the end")
print(f" service: FAILOVER_PROBE_INTERVAL={probe}, FAILOVER_FAILED_PROBES={probes}; writer: PyMySQL through the writer endpoint"
      f" (HAProxy), connect timeout 1 s")
print("=" * W)

# --- 1. automatic failover ---------------------------------------------------------------------------

runs = []
for r in rows("failover.tsv"):
    i, iid, t_kill, t_killed, mport, sport, wport, opid, opstatus, new_master, check, pid = r
    t_kill, t_killed = float(t_kill), float(t_killed)
    acks, errs, conns = writer_log(f"fo-{i}.log")
    op = load(f"op-fo{i}.json")
    try:
        chk = json.loads(check)
    except ValueError:
        chk = None
    before = [a for a in acks if a[2] <= t_kill]
    after = [a for a in acks if a[1] > t_killed]
    first = after[0] if after else None
    op_start, op_end = ts(op.get("startedAt")), ts(op.get("finishedAt"))
    outage_errs = [e for e in errs if e[1] > t_killed and (first is None or e[1] < first[1])]
    ops = load(f"ops-fo{i}.json") or []
    rb = next((o for o in ops if o.get("type") == "rebuild"), None) if isinstance(ops, list) else None
    rb_start, rb_end = (ts(rb.get("startedAt")), ts(rb.get("finishedAt"))) if rb else (None, None)
    run = {
        "rebuild": rb and f"{rb['status']} {rb.get('trigger')}", "rb_dur": rb_end - rb_start if rb_end and rb_start else None,
        "kill_to_rebuilt": rb_end - t_kill if rb_end and rb and rb["status"] == "SUCCEEDED" else None,
        "rb_error": rb and rb.get("error"),
        "i": i, "id": iid, "mport": mport, "sport": sport, "new_master": new_master, "opid": opid,
        "opstatus": opstatus, "trigger": op.get("trigger"), "op": op, "t_kill": t_kill,
        "before": len(before), "rto": first[2] - t_kill if first else None,
        "first_port": first[3] if first else None,
        "detect": op_start - t_kill if op_start else None,
        "op_dur": op_end - op_start if op_start and op_end else None,
        "kill_to_end": op_end - t_kill if op_end else None,
        "end_to_write": first[2] - op_end if first and op_end else None,
        "lost": chk["missing"] if chk else None, "lost_keys": chk["missing_keys"] if chk else [],
        "last_before_k": before[-1][0] if before else None, "check": check,
        "errs": Counter(str(e[3]) for e in outage_errs), "n_errs": len(outage_errs),
        "ro_after": [a for a in after if a[3] != sport],
    }
    runs.append(run)

print()
print(f" 1. automatic failover: kill -9 of the master's mariadbd, writer every {write_ms} ms, a fresh pair per run")
print()
print(f" {'run':<4}{'instance':<17}{'result':<18}{'kill->op':>9}{'op dur':>8}{'kill->op':>9}{'op end->':>9}{'RTO':>8}"
      f"{'acked':>7}{'lost':>6}  {'errors during the outage'}")
print(f" {'':<4}{'':<17}{'':<18}{'start s':>9}{'s':>8}{'end s':>9}{'write s':>9}{'s':>8}{'before':>7}{'rows':>6}")
for r in runs:
    ok = r["opstatus"] == "SUCCEEDED" and r["trigger"] == "auto" and r["new_master"] == r["sport"]
    result = "failed over" if ok else f"{r['opstatus']} {r['trigger'] or ''}".strip()
    r["ok"] = ok
    errs = ", ".join(f"{n}x {c}" for c, n in r["errs"].most_common(4))
    print(f" {r['i']:<4}{r['id']:<17}{result:<18}{f2(r['detect']):>9}{f2(r['op_dur']):>8}{f2(r['kill_to_end']):>9}"
          f"{f2(r['end_to_write']):>9}{f2(r['rto']):>8}{r['before']:>7}{'-' if r['lost'] is None else r['lost']:>6}  {errs}")
print()
print(" kill->op start: detection (probes every interval, the slave's IO thread) and the claim; op dur: the failover"
      " operation's startedAt -> finishedAt;\n op end->write: its finishedAt -> the first acknowledged write"
      " (negative: writes resumed before the operation was marked done);\n RTO: the kill -> the first acknowledged write"
      " started after it; lost rows: acknowledged by the old master, absent on the promoted slave.")
for r in runs:
    if r["lost"]:
        print(f"   run {r['i']}: lost keys {r['lost_keys']} (the last key acknowledged before the kill: {r['last_before_k']})")
    if r["ro_after"]:
        print(f"   run {r['i']}: {len(r['ro_after'])} writes after the kill acknowledged by port {r['ro_after'][0][3]}, "
              f"not the promoted slave {r['sport']}")
    if not r["ok"]:
        print(f"   run {r['i']}: NOT failed over as expected: operation {r['opid']} {r['opstatus']}, trigger {r['trigger']}, "
              f"master now {r['new_master']} (slave was {r['sport']}); error: {r['op'].get('error')}")

print()
print(" the old master's automatic rebuild after the failover (not part of the RTO):")
for r in runs:
    if r["rebuild"]:
        print(f"   run {r['i']}: rebuild {r['rebuild']}, {f2(r['rb_dur'])} s; both nodes serving again {f2(r['kill_to_rebuilt'])} s"
              f" after the kill" + (f"; error: {r['rb_error']}" if r["rb_error"] else ""))
    else:
        print(f"   run {r['i']}: no rebuild operation")

# the steps of the failover, timed from the kill (the run with the median RTO)
good = [r for r in runs if r["ok"] and r["rto"] is not None]
if good:
    r = sorted(good, key=lambda r: r["rto"])[len(good) // 2]
    per = {}
    for g in good:
        for s in g["op"].get("steps", []):
            if s.get("startedAt") and s.get("finishedAt"):
                per.setdefault(s["name"], []).append(ts(s["finishedAt"]) - ts(s["startedAt"]))
    print()
    print(f" steps of the failover in run {r['i']} (median RTO {r['rto']:.2f} s), seconds from the kill; the duration's median"
          f" over the {len(good)} runs")
    print(f"   {'step':<40}{'node':<9}{'status':<11}{'start':>7}{'end':>7}{'dur':>7}{'median dur':>12}")
    for s in r["op"].get("steps", []):
        st, fi = ts(s.get("startedAt")), ts(s.get("finishedAt"))
        d = fi - st if st and fi else None
        md = med(per[s["name"]]) if s["name"] in per else None
        print(f"   {s['name']:<40}{s.get('node') or '':<9}{s['status']:<11}{f2(st - r['t_kill'] if st else None):>7}"
              f"{f2(fi - r['t_kill'] if fi else None):>7}{f2(d, 3):>7}{f2(md, 3):>12}")

# --- 2. switchovers -----------------------------------------------------------------------------------

sws = rows("switchover.tsv")
sw = []
if sws:
    acks, errs, conns = writer_log("sw.log")
    t_writer, t_stop = (float(x) for x in meta["sw_writer"])
    try:
        sw_check = json.loads(m1("sw_check"))
    except ValueError:
        sw_check = None
    times = sorted(a[2] for a in acks)
    gaps = list(zip(times, times[1:]))
    posts = [float(s[1]) for s in sws]
    bounds = posts + [t_stop]
    baseline = [b - a for a, b in gaps if t_writer + 0.5 < a and b < posts[0]]
    print()
    print(f" 2. planned switchovers on one pair, back and forth, writer every {switch_ms} ms")
    print()
    print(f" {'#':<4}{'operation':<24}{'result':<11}{'master':>14}{'POST->done':>12}{'op dur':>8}{'window':>8}"
          f"{'gap from':>10}  {'errors'}")
    print(f" {'':<4}{'':<24}{'':<11}{'':>14}{'s':>12}{'s':>8}{'s':>8}{'POST s':>10}")
    for n, s in enumerate(sws):
        j, t_post, t_done, opid, status, before, after = s
        t_post, t_done = float(t_post), float(t_done)
        op = load(f"op-sw{j}.json")
        o0, o1 = ts(op.get("startedAt")), ts(op.get("finishedAt"))
        lo, hi = bounds[n], bounds[n + 1]
        mine = [(b - a, a) for a, b in gaps if lo <= b < hi]
        window, at = max(mine) if mine else (None, None)
        mine_errs = Counter(str(e[3]) for e in errs if lo <= e[1] < hi)
        nerr = ", ".join(f"{n}x {c}" for c, n in mine_errs.most_common(3)) or "0"
        swapped = after != before
        sw.append({"j": j, "window": window, "ok": status == "SUCCEEDED" and swapped, "dur": o1 - o0 if o0 and o1 else None})
        print(f" {j:<4}{opid:<24}{status + ('' if swapped else ' (no swap)'):<11}{before + '->' + after:>14}"
              f"{t_done - t_post:>12.2f}{f2(sw[-1]['dur']):>8}{f2(window):>8}{f2(at - t_post if at else None):>10}  {nerr}")
    print()
    print(" window: the longest gap between two consecutive acknowledged writes that ends between this switchover's POST"
          " and the next one's\n (the writer's gap before the first switchover, for comparison: "
          + (f"{max(baseline):.3f} s longest, {med(baseline) * 1000:.0f} ms median" if baseline else "none") + ").")
    if sw_check:
        print(f" rows: {sw_check['acknowledged']} acknowledged, {sw_check['missing']} missing on the final master"
              + (f": keys {sw_check['missing_keys']}" if sw_check["missing"] else ""))
    else:
        print(f" rows: the check failed: {m1('sw_check')}")

# --- summary ------------------------------------------------------------------------------------------

print()
print("-" * W)
print(" summary")
rtos = [r["rto"] for r in good]
if rtos:
    verdict = f"goal median <= {RTO_GOAL:.0f} s: {'met' if med(rtos) <= RTO_GOAL else 'NOT met'} (KubeBlocks promises {KUBEBLOCKS:.0f} s)"
else:
    verdict = "no successful failover to measure"
print(stat_line("RTO, kill -> first acknowledged write (s)", rtos, "s", goal_text=verdict))
print(stat_line("  kill -> failover operation started (s)", [r["detect"] for r in good if r["detect"] is not None], "s"))
print(stat_line("  failover operation duration (s)", [r["op_dur"] for r in good if r["op_dur"] is not None], "s"))
print(stat_line("  failover finished -> first write (s)", [r["end_to_write"] for r in good if r["end_to_write"] is not None], "s"))
print(stat_line("kill -> old master rebuilt automatically (s)", [r["kill_to_rebuilt"] for r in runs
                                                                if r["kill_to_rebuilt"] is not None], "s"))
lost = [r["lost"] for r in runs if r["lost"] is not None]
print(f" {'acknowledged rows lost per failover':<46}{', '.join(str(x) for x in lost) or '-'}   (total {sum(lost)} of"
      f" {sum(r['before'] for r in runs)} acknowledged before the kills; asynchronous replication)")
bad = [r for r in runs if not r.get("ok")]
print(f" {'failovers as expected':<46}{len(runs) - len(bad)} of {len(runs)}"
      + (f"   NOT as expected: runs {', '.join(r['i'] for r in bad)}" if bad else ""))
if sw:
    ws = [s["window"] for s in sw if s["window"] is not None]
    if ws:
        v = (f"goal <= {WINDOW_GOAL:.0f} s: " + ("met by every switchover" if max(ws) <= WINDOW_GOAL else
             "met by the median, NOT by every switchover" if med(ws) <= WINDOW_GOAL else "NOT met"))
    else:
        v = "no data"
    print(stat_line("switchover write-unavailability window (s)", ws, "s", goal_text=v))
    print(stat_line("  switchover operation duration (s)", [s["dur"] for s in sw if s["dur"] is not None], "s"))
    if sw_check:
        print(f" {'acknowledged rows lost over the switchovers':<46}{sw_check['missing']}   (must be 0; "
              f"{sw_check['acknowledged']} acknowledged)")
    badsw = [s["j"] for s in sw if not s["ok"]]
    print(f" {'switchovers as expected':<46}{len(sw) - len(badsw)} of {len(sw)}"
          + (f"   NOT as expected: {', '.join(badsw)}" if badsw else ""))
print("=" * W)

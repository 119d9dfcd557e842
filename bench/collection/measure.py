#!/usr/bin/env python3
"""The measuring half of bench/collection/run (which starts and stops the processes).

Registers the simulator's instances and the external JDBC targets through the REST API, watches
GET /v1/collections and the simulator's GET /_sim/stats in the background, and prints:
  DAS   per aliyun group: round time of a steady-state round that collected every target, the
        bound calls / rate (calls = DAS calls of all groups in those rounds, rate = the DAS rate of all
        accounts together: 60/s when the quota is shared), their ratio, throttled calls; the shortest DAS
        period a full pass allows;
  JDBC  round time of the external group with every target ok;
  /metrics p50 / p99 / bytes (plain and gzip) and the number of rds_ series with everything published;
        the service's resident memory (VmRSS) not scraping and while scraping.
Exit 0 when every target is met, 3 when a target is missed, 1 when the run itself failed.
"""
import argparse
import base64
import concurrent.futures
import http.client
import json
import os
import re
import subprocess
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime

p = argparse.ArgumentParser()
p.add_argument("--api", required=True)
p.add_argument("--password", required=True)
p.add_argument("--sim", required=True)
p.add_argument("--work", required=True)
p.add_argument("--das-rate", type=float, required=True, help="collection.dasRatePerSecond of the service (per account)")
p.add_argument("--das-shared-rate", type=float, default=0,
               help="collection.dasSharedRatePerSecond of the service (all accounts together; 0 = none)")
p.add_argument("--sim-das-rate", type=float, default=None, help="the simulator's DAS limit (default: --das-rate)")
p.add_argument("--sim-das-quota", choices=["shared", "per-account"], default="per-account",
               help="whether the simulator's DAS limit is for all accounts together or for each")
p.add_argument("--das-period", required=True)
p.add_argument("--jdbc-period", required=True)
p.add_argument("--jdbc-ports", required=True)
p.add_argument("--jdbc-targets", type=int, required=True)
p.add_argument("--monitor-password", required=True)
p.add_argument("--scrapes", type=int, default=200)
p.add_argument("--timeout", type=float, default=400)
p.add_argument("--service-pid", default="")
p.add_argument("--profile", choices=["auto", "always", "never"], default="auto",
               help="JFR-profile 50 more scrapes: auto = when the /metrics p50 target is missed")
args = p.parse_args()

DAS_ACTION = "GetMySQLAllSessionAsync"
LIMIT = args.sim_das_rate or args.das_rate
RSS_TARGET_MB = 512
P50_TARGET_MS = 20
AUTH = "Basic " + base64.b64encode(("admin:" + args.password).encode()).decode()
T_START = time.time()


def duration_s(v):
    m = re.fullmatch(r"\s*([0-9.]+)\s*(ms|s|m|h|seconds?|minutes?)?\s*", v)
    if not m:
        sys.exit("cannot parse duration " + v)
    n, unit = float(m.group(1)), (m.group(2) or "s")
    return n / 1000 if unit == "ms" else n * 60 if unit.startswith("m") else n * 3600 if unit == "h" else n


DAS_PERIOD = duration_s(args.das_period)
JDBC_PERIOD = duration_s(args.jdbc_period)


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def call(method, path, body=None, timeout=60):
    req = urllib.request.Request(args.api + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": AUTH, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode(errors="replace")


def epoch(iso):
    """ISO-8601 instant (any number of fraction digits, Z) -> epoch seconds."""
    m = re.fullmatch(r"(.*?T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?", iso)
    frac = float(m.group(2)) if m.group(2) else 0.0
    tz = m.group(3) or "Z"
    return datetime.fromisoformat(m.group(1) + ("+00:00" if tz == "Z" else tz)).timestamp() + frac


def sim_stats():
    with urllib.request.urlopen("http://%s/_sim/stats" % args.sim, timeout=10) as r:
        return json.loads(r.read())


def scrape_metrics(conn=None, gzip=False):
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(args.api.split("//", 1)[1], timeout=60)
    conn.request("GET", "/metrics", headers={"Accept-Encoding": "gzip"} if gzip else {})
    r = conn.getresponse()
    body = r.read()
    if gzip and r.getheader("Content-Encoding") != "gzip":
        sys.exit("GET /metrics with Accept-Encoding: gzip answered Content-Encoding %s" % r.getheader("Content-Encoding"))
    if own:
        conn.close()
    return r.status, body


class Rss:
    """The service's resident memory (VmRSS of /proc/<pid>/status), sampled every 0.25 s."""

    def __init__(self, pid):
        self.pid, self.samples, self.stop = pid, [], threading.Event()
        if pid:
            threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while not self.stop.is_set():
            try:
                with open("/proc/%s/status" % self.pid) as f:
                    kb = next(int(ln.split()[1]) for ln in f if ln.startswith("VmRSS:"))
                self.samples.append((time.time(), kb / 1024.0))
            except (OSError, StopIteration):
                pass
            self.stop.wait(0.25)

    def max_between(self, a, b):
        v = [mb for t, mb in list(self.samples) if a <= t <= b]
        return max(v) if v else float("nan")


def rdsflow_counters(text):
    """rdsflow_cloud_api_{requests,throttled}_total of the DAS action, summed."""
    requests, throttled, codes = 0.0, 0.0, {}
    for line in text.splitlines():
        if line.startswith("#") or DAS_ACTION not in line:
            continue
        name, value = line.rsplit(" ", 1)
        if name.startswith("rdsflow_cloud_api_requests_total"):
            requests += float(value)
            code = re.search(r'code="([^"]*)"', name)
            codes[code.group(1) if code else "?"] = codes.get(code.group(1) if code else "?", 0) + float(value)
        elif name.startswith("rdsflow_cloud_api_throttled_total"):
            throttled += float(value)
    return requests, throttled, codes


# --- background watchers ---------------------------------------------------------------------------

class Watch:
    """Samples the simulator's DAS call counters every 0.25 s and the groups' last rounds every 0.5 s."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (sent, received, das calls, das throttled)
        self.rounds = {}  # (group, round) -> view with start/end in epoch seconds
        self.stop = threading.Event()
        self.paused = threading.Event()
        self.errors = []
        threading.Thread(target=self.sim_loop, daemon=True).start()
        threading.Thread(target=self.rounds_loop, daemon=True).start()

    def sim_loop(self):
        while not self.stop.is_set():
            t0 = time.time()
            try:
                s = sim_stats()
                c = s["calls"].get(DAS_ACTION, {"total": 0, "codes": {}})
                with self.lock:
                    self.samples.append((t0, time.time(), c["total"], c["codes"].get("Throttling.User", 0)))
            except Exception as e:  # noqa: BLE001 - keep sampling
                self.errors.append("simulator stats: %s" % e)
            self.stop.wait(0.25)

    def rounds_loop(self):
        while not self.stop.is_set():
            if self.paused.is_set():
                self.stop.wait(0.5)
                continue
            try:
                status, views = call("GET", "/v1/collections", timeout=10)
                if status == 200:
                    with self.lock:
                        for v in views:
                            start = epoch(v["startedAt"])
                            v = dict(v, start=start, end=start + v["durationMs"] / 1000.0)
                            self.rounds[(v["group"], v["round"])] = v
            except Exception as e:  # noqa: BLE001
                self.errors.append("collections: %s" % e)
            self.stop.wait(0.5)

    def group_rounds(self, group):
        with self.lock:
            return sorted((v for (g, _), v in self.rounds.items() if g == group), key=lambda v: v["round"])

    def all_rounds(self, prefix=""):
        with self.lock:
            return [v for (g, _), v in self.rounds.items() if g.startswith(prefix)]

    def calls_between(self, t_from, t_to):
        """DAS calls and throttled answers the simulator counted between two instants with no call in flight."""
        with self.lock:
            before = [s for s in self.samples if s[1] <= t_from]
            after = [s for s in self.samples if s[0] >= t_to]
        if not before or not after:
            return None
        b, a = before[-1], after[0]
        return a[2] - b[2], a[3] - b[3], b[1], a[0]


def wait_for(what, predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = predicate()
        if r:
            return r
        time.sleep(0.5)
    sys.exit("timed out after %.0f s waiting for %s" % (timeout, what))


watch = Watch()
rss = Rss(args.service_pid)
result = {"settings": vars(args).copy()}
result["settings"].pop("password")
result["settings"].pop("monitor_password")

# --- (2) accounts and the 1000 cloud instances ---------------------------------------------------------

accounts = [line.split() for line in open(args.work + "/accounts") if line.strip()]
instances = [line.split() for line in open(args.work + "/instances") if line.strip()]
for uid, ak, sk in accounts:
    status, r = call("POST", "/v1/accounts", {"aliyunUid": uid, "accessKeyId": ak, "accessKeySecret": sk,
                                               "regionId": "cn-hangzhou", "name": "bench-" + uid[-2:]})
    if status != 201:
        sys.exit("POST /v1/accounts %s: %s %s" % (uid, status, r))
per_group = {}
for uid, _ in instances:
    per_group["aliyun-" + uid] = per_group.get("aliyun-" + uid, 0) + 1
groups = sorted(per_group)
# the DAS rate of all accounts together: the tightest of the service's limits and the simulator's bucket
PASS_RATE = min(r for r in (args.das_shared_rate if args.das_shared_rate > 0 else float("inf"),
                            args.das_rate * len(groups),
                            LIMIT if args.sim_das_quota == "shared" else LIMIT * len(groups)))


def register_cloud(item):
    i, (uid, cloud_id) = item
    body = {"engine": "aliyun", "aliyunUid": uid, "instanceId": cloud_id, "name": "das-" + cloud_id[3:],
            "labels": {"bench": "collection"}}
    for attempt in range(5):
        status, r = call("POST", "/v1/instances/register", body)
        if status == 201:
            return None
        if status < 500:
            return "%s: %s %s" % (cloud_id, status, r)
        time.sleep(0.5 * (attempt + 1))
    return "%s: %s %s" % (cloud_id, status, r)


log("registering %d aliyun instances (%d accounts) through POST /v1/instances/register, 16 at a time"
    % (len(instances), len(accounts)))
t0 = time.time()
with concurrent.futures.ThreadPoolExecutor(16) as pool:
    failures = [f for f in pool.map(register_cloud, enumerate(instances)) if f]
registration_s = time.time() - t0
if failures:
    sys.exit("%d registrations failed, e.g. %s" % (len(failures), failures[:3]))
log("registered %d instances in %.1f s (%.0f/s)" % (len(instances), registration_s, len(instances) / registration_s))
result["das_registration_s"] = registration_s


# --- (2) a full steady-state DAS round of every aliyun group ------------------------------------------

def full_rounds():
    chosen = {}
    for g in groups:
        full = [v for v in watch.group_rounds(g)
                if v["round"] >= 2 and v["targetsOk"] == per_group[g] and v["targetsFailed"] == 0]
        if not full:
            return None
        chosen[g] = full[0]
    return chosen


log("waiting for a round >= 2 of every aliyun group that collects all its targets (dasPeriod %.0f s)" % DAS_PERIOD)
chosen = wait_for("a full DAS round of every aliyun group", full_rounds, args.timeout)
time.sleep(1.0)  # let the samplers pass the end of the last round
# the hull: the chosen rounds plus any round overlapping them, until closed
hull = list(chosen.values())
while True:
    lo, hi = min(v["start"] for v in hull), max(v["end"] for v in hull)
    more = [v for v in watch.all_rounds("aliyun-") if v not in hull and v["start"] <= hi and v["end"] >= lo]
    if not more:
        break
    hull += more
lo, hi = min(v["start"] for v in hull), max(v["end"] for v in hull)
window = wait_for("simulator samples around the DAS rounds", lambda: watch.calls_between(lo, hi), 10)
hull_calls, hull_throttled, _, _ = window
hull_targets = sum(v["targetsOk"] + v["targetsFailed"] for v in hull)
calls_per_target = hull_calls / hull_targets if hull_targets else float("nan")
exact = len(hull) == len(chosen) and hull_calls == 2 * hull_targets

das_rows = []
for g in groups:
    v = chosen[g]
    targets = v["targetsOk"] + v["targetsFailed"]
    calls = targets * calls_per_target
    bound = hull_calls / PASS_RATE  # the groups run side by side: a round waits for the calls of all of them
    das_rows.append({"group": g, "round": v["round"], "targets": targets, "ok": v["targetsOk"],
                     "round_s": v["durationMs"] / 1000.0, "calls": calls, "bound_s": bound,
                     "ratio": v["durationMs"] / 1000.0 / bound, "start": v["start"], "end": v["end"]})
def round_sets():
    """(round number, start, end, targets, DAS calls, throttled) of every set of rounds with the same
    number (all groups start in step, so such a set is one burst of DAS calls)."""
    out = []
    for n in sorted({v["round"] for g in groups for v in watch.group_rounds(g)}):
        rs = [v for g in groups for v in watch.group_rounds(g) if v["round"] == n]
        if len(rs) != len(groups):
            continue
        lo_, hi_ = min(v["start"] for v in rs), max(v["end"] for v in rs)
        c = watch.calls_between(lo_, hi_)
        if c:
            out.append((n, lo_, hi_, sum(v["targetsOk"] + v["targetsFailed"] for v in rs), c[0], c[1]))
    return out


per_round_set = [(n, t, c, th) for n, _, _, t, c, th in round_sets()]
result["das"] = {"per_round_set": per_round_set, "rows": das_rows, "hull_rounds": len(hull), "hull_calls": hull_calls,
                 "hull_throttled": hull_throttled, "hull_targets": hull_targets, "exact": exact}
log("DAS rounds measured: %d rounds from %s to %s, %d DAS calls for %d targets (simulator's count), %d throttled"
    % (len(hull), time.strftime("%H:%M:%S", time.localtime(lo)), time.strftime("%H:%M:%S", time.localtime(hi)),
       hull_calls, hull_targets, hull_throttled))

# --- (3) 50 external JDBC targets -----------------------------------------------------------------------

ports = [int(x) for x in args.jdbc_ports.split()]


def register_external(i):
    server = i % len(ports)
    name = "ext-s%d-%02d" % (server + 1, i // len(ports) + 1)
    body = {"engine": "external", "name": name, "host": "127.0.0.1", "port": ports[server], "user": "monitor",
            "password": args.monitor_password, "labels": {"bench": "collection", "server": "s%d" % (server + 1)}}
    status, r = call("POST", "/v1/instances/register", body)
    return None if status == 201 else "%s: %s %s" % (name, status, r)


log("registering %d external targets (%d names on each of %d MariaDB servers)"
    % (args.jdbc_targets, -(-args.jdbc_targets // len(ports)), len(ports)))
t0 = time.time()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    failures = [f for f in pool.map(register_external, range(args.jdbc_targets)) if f]
if failures:
    sys.exit("%d external registrations failed, e.g. %s" % (len(failures), failures[:3]))
registered_at = time.time()
log("registered in %.1f s; waiting for 3 rounds of the external group with all %d targets ok (jdbcPeriod %.0f s)"
    % (registered_at - t0, args.jdbc_targets, JDBC_PERIOD))


def jdbc_full():
    full = [v for v in watch.group_rounds("external")
            if v["targetsOk"] == args.jdbc_targets and v["targetsFailed"] == 0 and v["start"] >= registered_at]
    return full if len(full) >= 3 else None


jdbc_rounds = wait_for("3 full rounds of the external group", jdbc_full, max(args.timeout, 10 * JDBC_PERIOD))[:3]
das_spans = [(v["start"], v["end"]) for v in watch.all_rounds("aliyun-")]
for v in jdbc_rounds:
    v["overlaps_das"] = any(s <= v["end"] and e >= v["start"] for s, e in das_spans)
# reported: the median of the 3 (the first opens the connection pools of the new targets)
jdbc_first = sorted(jdbc_rounds, key=lambda v: v["durationMs"])[1]
result["jdbc"] = {"rounds": [{k: v[k] for k in ("round", "durationMs", "targetsOk", "targetsFailed", "overlaps_das")}
                             for v in jdbc_rounds], "reported": jdbc_first["round"]}

# --- (4) /metrics with everything published ------------------------------------------------------------------

conn = http.client.HTTPConnection(args.api.split("//", 1)[1], timeout=60)


# resident memory with everything published and nobody scraping: 15 s before the first scrape
log("15 s without scraping (the service's resident memory, everything published)")
t_idle = time.time()
time.sleep(15)
rss_idle = rss.max_between(t_idle, time.time())


def warm_up():
    w = []
    for _ in range(5):
        t0 = time.perf_counter()
        scrape_metrics(conn)
        w.append(time.perf_counter() - t0)
    return statistics.median(w)


# Keep the DAS rounds out of the timing when the timing fits between two of them: if the next round
# is due before the timed scrapes would end, wait until every group has finished it.
estimate = warm_up() * args.scrapes * 1.2 + 3
last_das = {g: watch.group_rounds(g)[-1] for g in groups}
next_start = min(v["start"] for v in last_das.values()) + DAS_PERIOD
longest = max(v["durationMs"] / 1000.0 for v in last_das.values())
if time.time() + estimate > next_start - 1:
    log("the timed scrapes (~%.0f s) would meet the DAS rounds due at %s; waiting until every group has finished them"
        % (estimate, time.strftime("%H:%M:%S", time.localtime(next_start))))
    wait_for("the next DAS rounds", lambda: all(watch.group_rounds(g)[-1]["round"] > last_das[g]["round"]
                                                 for g in groups), DAS_PERIOD + 60)
    time.sleep(1.0)
    conn.close()  # idle longer than Jetty's idle timeout (30 s) meanwhile: a new connection
    conn = http.client.HTTPConnection(args.api.split("//", 1)[1], timeout=60)
    warm_up()
log("timing %d GET /metrics (one keep-alive connection, after 5 warm-ups)" % args.scrapes)
times, sizes, spans = [], [], []
body = b""
t_first = time.time()
for _ in range(args.scrapes):
    w0 = time.time()
    t0 = time.perf_counter()
    status, body = scrape_metrics(conn)
    times.append((time.perf_counter() - t0) * 1000)
    spans.append((w0, time.time()))
    sizes.append(len(body))
    if status != 200:
        sys.exit("GET /metrics answered %d" % status)
t_last = time.time()
text = body.decode()
log("timing %d GET /metrics with Accept-Encoding: gzip (same connection)" % args.scrapes)
gz_times = []
for _ in range(args.scrapes):
    t0 = time.perf_counter()
    status, gz_body = scrape_metrics(conn, gzip=True)
    gz_times.append((time.perf_counter() - t0) * 1000)
gz_text = __import__("gzip").decompress(gz_body).decode()
# the same families (values, and some label sets like the process list's states, move with every new snapshot)
gz_same = [ln for ln in gz_text.splitlines() if ln.startswith("# TYPE ")] == \
    [ln for ln in text.splitlines() if ln.startswith("# TYPE ")]
# a minute of Prometheus-like scraping on top (one scrape every 0.5 s, gzip), for the memory
log("60 s of scraping every 0.5 s with gzip (resident memory while scraped)")
t_slow = time.time()
while time.time() < t_slow + 60:
    scrape_metrics(conn, gzip=True)
    time.sleep(0.5)
t_scraped = time.time()
rss_scraping = rss.max_between(t_first, t_scraped)
gz_sorted = sorted(gz_times)
gz_p50 = statistics.median(gz_sorted)
gz_p99 = gz_sorted[min(len(gz_sorted) - 1, int(round(0.99 * len(gz_sorted))) - 1)]
times_sorted = sorted(times)
p50 = statistics.median(times_sorted)
p99 = times_sorted[min(len(times_sorted) - 1, int(round(0.99 * len(times_sorted))) - 1)]
series = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
rds_series = [ln for ln in series if ln.startswith("rds_")]
families = {}
for ln in rds_series:
    families[ln.split("{", 1)[0].split(" ", 1)[0]] = families.get(ln.split("{", 1)[0].split(" ", 1)[0], 0) + 1
up_aliyun = sum(1 for ln in rds_series if ln.startswith("rds_up{") and 'engine="aliyun"' in ln and ln.endswith(" 1.0"))
up_external = sum(1 for ln in rds_series if ln.startswith("rds_up{") and 'engine="external"' in ln and ln.endswith(" 1.0"))
time.sleep(1.0)  # let the watcher see a DAS round that ended with the last scrapes
das_spans = [(v["start"], v["end"]) for v in watch.all_rounds("aliyun-")]
scrape_overlaps_das = any(s <= t_last and e >= t_first for s, e in das_spans)
busy = [any(s <= b and e >= a for s, e in das_spans) for a, b in spans]
quiet_times = sorted(t for t, o in zip(times, busy) if not o)
busy_times = sorted(t for t, o in zip(times, busy) if o)
result["metrics"] = {"p50_ms": p50, "p99_ms": p99, "min_ms": times_sorted[0], "max_ms": times_sorted[-1],
                     "bytes": len(body), "series": len(series), "rds_series": len(rds_series),
                     "rds_up_aliyun": up_aliyun, "rds_up_external": up_external, "families": families,
                     "overlaps_das_round": scrape_overlaps_das, "quiet_scrapes": len(quiet_times),
                     "quiet_p50_ms": statistics.median(quiet_times) if quiet_times else None,
                     "gzip_p50_ms": gz_p50, "gzip_p99_ms": gz_p99, "gzip_bytes": len(gz_body), "gzip_same_series": gz_same,
                     "rss_idle_mb": rss_idle, "rss_scraping_mb": rss_scraping}



# --- where the /metrics time goes (JFR, 50 more scrapes) ----------------------------------------------------------------

PROFILE_METHODS = [
    ("MetricsResource.scrape", "io.rdsflow.service.resources.MetricsResource.scrape"),
    ("  SnapshotPublisher.refresh", "io.rdsflow.service.metrics.SnapshotPublisher.refresh"),
    ("    CollectionDao.stamps/snapshot (SQL)", "io.rdsflow.activities.collect.CollectionDao."),
    ("  PrometheusExposition.scrape", "io.rdsflow.service.metrics.PrometheusExposition.scrape"),
    ("    DropwizardCollector.collect (live part)", "io.rdsflow.service.metrics.DropwizardCollector.collect"),
    ("      MetricRegistry.getGauges (sorted copy)", "com.codahale.metrics.MetricRegistry.get"),
    ("      DropwizardExports.fromGauge", "io.prometheus.client.dropwizard.DropwizardExports.fromGauge"),
    ("        PrometheusSampleBuilder.createSample", "io.rdsflow.service.metrics.PrometheusSampleBuilder.createSample"),
    ("          CustomMappingSampleBuilder.createSample", "io.prometheus.client.dropwizard.samplebuilder.CustomMappingSampleBuilder.createSample"),
    ("            GraphiteNamePattern.match", "io.prometheus.client.dropwizard.samplebuilder.GraphiteNamePattern.match"),
    ("            GraphiteNamePattern.extractParameters", "io.prometheus.client.dropwizard.samplebuilder.GraphiteNamePattern.extractParameters"),
    ("              String.format", "java.lang.String.format"),
    ("          PrometheusSampleBuilder.expand", "io.rdsflow.service.metrics.PrometheusSampleBuilder.expand"),
    ("            PrometheusSampleBuilder.labelName", "io.rdsflow.service.metrics.PrometheusSampleBuilder.labelName"),
    ("          MetricNames.decode", "io.rdsflow.activities.metrics.MetricNames.decode"),
    ("    TextFormat.write004", "io.prometheus.client.exporter.common.TextFormat.write004"),
    ("  body written (Jersey WriterInterceptor)", "org.glassfish.jersey.message.internal.WriterInterceptorExecutor"),
    ("java.util.regex.* (anywhere)", "java.util.regex."),
]


def jfr_samples(path):
    """(thread name, [frames, innermost first]) of every jdk.ExecutionSample."""
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "256", path],
                         capture_output=True, text=True, check=True).stdout
    samples, thread, frames, in_stack = [], None, [], False
    for line in out.splitlines():
        t = line.strip()
        if t.startswith("jdk.ExecutionSample"):
            thread, frames, in_stack = None, [], False
        elif t.startswith("sampledThread"):
            m = re.search(r'"(.*)"', t)
            thread = m.group(1) if m else t
        elif t.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and t == "]":
            in_stack = False
            samples.append((thread, frames))
        elif in_stack and t and t != "...":
            frames.append(re.sub(r"\(.*", "", t.split(" line:")[0]))
    return samples


def jfr_gc_pause_ms(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.GarbageCollection", path],
                         capture_output=True, text=True).stdout
    total = 0.0
    for m in re.finditer(r"sumOfPauses = ([0-9.,]+) (ms|s|us)", out):
        v = float(m.group(1).replace(",", ""))
        total += v * (1000 if m.group(2) == "s" else 0.001 if m.group(2) == "us" else 1)
    return total


profile = None
if args.service_pid and (args.profile == "always" or (args.profile == "auto" and p50 >= P50_TARGET_MS)):
    jfr = os.path.join(args.work, "metrics.jfr")
    n_prof = 50
    log("profiling %d more GET /metrics with JFR (jcmd %s JFR.start settings=profile)" % (n_prof, args.service_pid))
    subprocess.run(["jcmd", args.service_pid, "JFR.start", "name=bench-metrics", "settings=profile", "filename=" + jfr],
                   capture_output=True, check=True)
    prof_times = []
    watch.paused.set()
    t_prof = time.time()
    for _ in range(n_prof):
        t0 = time.perf_counter()
        scrape_metrics(conn)
        prof_times.append((time.perf_counter() - t0) * 1000)
    prof_wall = time.time() - t_prof
    watch.paused.clear()
    subprocess.run(["jcmd", args.service_pid, "JFR.stop", "name=bench-metrics"], capture_output=True, check=True)
    samples = jfr_samples(jfr)
    # JFR names threads as they were started: Jetty's request threads are dw-<n> (Dropwizard's
    # "dw-<n> - GET /metrics" renaming is not seen); the watcher's polling is paused meanwhile
    req = [f for t, f in samples if t and t.startswith("dw-") and "admin" not in t]
    others = len(samples) - len(req)
    inclusive = []
    for label, prefix in PROFILE_METHODS:
        n = sum(1 for f in req if any(fr.startswith(prefix) for fr in f))
        inclusive.append((label, n))
    self_top = {}
    for f in req:
        if f:
            self_top[f[0]] = self_top.get(f[0], 0) + 1
    profile = {"scrapes": n_prof, "t_start": t_prof, "t_end": t_prof + prof_wall, "p50_ms": statistics.median(prof_times), "wall_s": prof_wall,
               "request_samples": len(req), "other_samples": others, "gc_pause_ms": jfr_gc_pause_ms(jfr),
               "inclusive": inclusive,
               "self_top": sorted(self_top.items(), key=lambda kv: -kv[1])[:12]}
    result["profile"] = profile
conn.close()

# --- totals and the summary ----------------------------------------------------------------------------------------

# the totals when no DAS round is running: the simulator's count unchanged across rdsflow's scrape
for _ in range(60):
    before = sim_stats()["calls"].get(DAS_ACTION, {"total": 0})["total"]
    _, mtext = scrape_metrics()
    sim_final = sim_stats()
    das_final = sim_final["calls"].get(DAS_ACTION, {"total": 0, "codes": {}})
    rf_requests, rf_throttled, rf_codes = rdsflow_counters(mtext.decode())
    if das_final["total"] == before and rf_requests == before:
        break
    time.sleep(1.0)
time.sleep(0.6)
all_round_sets = round_sets()
watch.stop.set()
result["totals"] = {"sim": sim_final, "rdsflow_requests": rf_requests, "rdsflow_throttled": rf_throttled,
                    "rdsflow_codes": rf_codes}

out = []
w = out.append
w("")
w("== bench/collection: %d DAS targets on %d accounts, %d JDBC targets on %d MariaDB servers"
  % (len(instances), len(accounts), args.jdbc_targets, len(ports)))
w("   service: collection.dasSharedRatePerSecond=%g dasRatePerSecond=%g dasPeriod=%s jdbcPeriod=%s (dasPollInterval,"
  % (args.das_shared_rate, args.das_rate, args.das_period, args.jdbc_period))
w("   dasParallelism, jdbcParallelism, targetTimeout, JVM at their defaults); simulator: DAS throttling %g calls/s %s,"
  % (LIMIT, "shared by all accounts" if args.sim_das_quota == "shared" else "per account"))
w("   DAS result ready at once (2 calls per target)")
w("")
w("registration: %d aliyun instances in %.1f s through POST /v1/instances/register" % (len(instances), registration_s))
w("")
w("DAS rounds (steady state: the first round >= 2 of each group that collected every target)")
w("  %-24s %5s %7s %9s %9s %10s %7s" % ("group", "round", "targets", "round s", "calls", "bound s", "ratio"))
for r in das_rows:
    w("  %-24s %5d %7d %9.2f %9s %10.2f %7.3f" % (r["group"], r["round"], r["targets"], r["round_s"],
                                                  ("%d" % r["calls"]) if exact else "~%.0f" % r["calls"],
                                                  r["bound_s"], r["ratio"]))
w("  calls = DAS calls the simulator answered during these rounds (%d for %d targets, %.3f per target%s);"
  % (hull_calls, hull_targets, calls_per_target, ", exactly 2 each" if exact else ", shared out by targets"))
w("  bound = DAS calls of all groups in these rounds / %g calls/s (the DAS rate of all accounts together; the groups"
  % PASS_RATE)
w("  run side by side); ratio = round time / bound (target <= 1.05)")
w("  throttled DAS calls during these rounds: %d (simulator's Throttling.User answers)" % hull_throttled)
w("  per round number, all groups together: %s" % "; ".join(
    "#%d %d targets %d calls %d throttled" % r for r in per_round_set))
pass_gauge = re.search(r"(?m)^rdsflow_das_pass_min_seconds (\S+)$", text)
w("  a full DAS pass: %d targets x 2 calls / %g calls/s = %.1f s: collection.dasPeriod must be at least that (it is %s);"
  % (len(instances), PASS_RATE, 2 * len(instances) / PASS_RATE, args.das_period))
w("    the service's own figure: rdsflow_das_pass_min_seconds %s (it logs a WARN when the period is shorter)"
  % (pass_gauge.group(1) if pass_gauge else "absent"))
w("  all rounds seen:")
for g in groups:
    w("    %-22s %s" % (g, ", ".join("#%d %d ok/%d failed %.2f s" % (v["round"], v["targetsOk"], v["targetsFailed"],
                                                                    v["durationMs"] / 1000.0)
                                  for v in watch.group_rounds(g))))
w("")
w("JDBC rounds of group external (%d targets, %d names per server; the first full round opens the targets' pools;"
  % (args.jdbc_targets, -(-args.jdbc_targets // len(ports))))
w("  reported: the median of the 3)")
for v in jdbc_rounds:
    w("  round %-4d %2d ok, %d failed  %7.3f s%s%s" % (v["round"], v["targetsOk"], v["targetsFailed"],
                                                     v["durationMs"] / 1000.0,
                                                     "  (overlapped a DAS round)" if v["overlaps_das"] else "",
                                                     "  <- reported" if v is jdbc_first else ""))
w("")
w("GET /metrics x%d after 5 warm-ups (one keep-alive connection, no gzip)%s"
  % (args.scrapes, "; a DAS round ran meanwhile" if scrape_overlaps_das else "; no DAS round ran meanwhile"))
w("  p50 %.1f ms, p99 %.1f ms, min %.1f ms, max %.1f ms; body %d bytes, %d series, %d rds_ series"
  % (p50, p99, times_sorted[0], times_sorted[-1], len(body), len(series), len(rds_series)))
w("  with Accept-Encoding: gzip (x%d, same connection): p50 %.1f ms, p99 %.1f ms; body %d bytes gzipped; same families: %s"
  % (args.scrapes, gz_p50, gz_p99, len(gz_body), "yes" if gz_same else "NO"))
w("  service resident memory (VmRSS, default JVM settings): %.0f MB with everything published and nobody scraping (15 s),"
  % rss_idle)
w("    %.0f MB at most while scraped (the timed scrapes, then 60 s of a gzip scrape every 0.5 s)" % rss_scraping)
if scrape_overlaps_das and quiet_times:
    w("  the %d scrapes that did not overlap a DAS round: p50 %.1f ms, p99 %.1f ms; the %d that did: p50 %.1f ms"
      % (len(quiet_times), statistics.median(quiet_times),
         quiet_times[min(len(quiet_times) - 1, int(round(0.99 * len(quiet_times))) - 1)],
         len(busy_times), statistics.median(busy_times)))
w("  rds_up 1: %d aliyun, %d external; rds_ series per family: %s"
  % (up_aliyun, up_external, ", ".join("%s %d" % kv for kv in sorted(families.items(), key=lambda kv: -kv[1]))))
if profile:
    w("")
    w("where the /metrics time goes: JFR (settings=profile) over %d more scrapes (p50 %.1f ms while recording),"
      % (profile["scrapes"], profile["p50_ms"]))
    w("  %d execution samples on Jetty's request threads (dw-*), %d on other threads; GC pauses %.0f ms in %.1f s"
      % (profile["request_samples"], profile["other_samples"], profile["gc_pause_ms"], profile["wall_s"]))
    w("  share of the request threads' samples with the method on the stack:")
    for label, n in profile["inclusive"]:
        w("    %-50s %5d  %5.1f %%" % (label, n, 100.0 * n / max(1, profile["request_samples"])))
    w("  hottest frames (self):")
    for frame, n in profile["self_top"]:
        w("    %5.1f %%  %s" % (100.0 * n / max(1, profile["request_samples"]), frame))
w("")
w("DAS rounds over the whole run, per round number (all %d groups together):" % len(groups))
for n, a, b, t, c, th in all_round_sets:
    during = []
    if a <= t_last and b >= t_first:
        during.append("during the timed /metrics scrapes")
    if profile and a <= profile["t_end"] and b >= profile["t_start"]:
        during.append("during the JFR-profiled scrapes")
    w("  #%-3d %5d targets %6d calls %4d throttled  %s" % (n, t, c, th, ", ".join(during)))
w("")
w("DAS calls over the whole run: simulator %d (%s), rdsflow_cloud_api_requests_total %d (%s),"
  % (das_final["total"], ", ".join("%s=%d" % kv for kv in sorted(das_final["codes"].items())), rf_requests,
     ", ".join("%s=%d" % kv for kv in sorted(rf_codes.items()))))
w("  throttled: simulator %d, rdsflow_cloud_api_throttled_total %d"
  % (das_final["codes"].get("Throttling.User", 0), rf_throttled))
if watch.errors:
    w("watcher errors: %d, e.g. %s" % (len(watch.errors), watch.errors[:2]))

worst = max(das_rows, key=lambda r: r["ratio"])
jdbc_s = jdbc_first["durationMs"] / 1000.0
checks = [
    ("DAS round / (calls / rate), worst group", "%.3f (%s)" % (worst["ratio"], worst["group"]), "<= 1.05",
     worst["ratio"] <= 1.05),
    ("DAS round time, worst group", "%.2f s for %d targets" % (max(r["round_s"] for r in das_rows), worst["targets"]),
     "", None),
    ("throttled DAS calls in the measured rounds", "%d" % hull_throttled, "0", hull_throttled == 0),
    ("JDBC round, %d targets (median of 3 full rounds)" % args.jdbc_targets, "%.3f s" % jdbc_s, "", None),
    ("GET /metrics p50", "%.1f ms" % p50, "< %d ms" % P50_TARGET_MS, p50 < P50_TARGET_MS),
    ("GET /metrics p99", "%.1f ms" % p99, "", None),
    ("GET /metrics body", "%d bytes (gzip %d)" % (len(body), len(gz_body)), "", None),
    ("GET /metrics p50 with gzip", "%.1f ms" % gz_p50, "", None),
    ("resident memory, nobody scraping", "%.0f MB" % rss_idle, "< %d MB" % RSS_TARGET_MB, rss_idle < RSS_TARGET_MB),
    ("resident memory, scraped", "%.0f MB" % rss_scraping, "< %d MB" % RSS_TARGET_MB, rss_scraping < RSS_TARGET_MB),
    ("shortest DAS period for a full pass", "%.1f s" % (2 * len(instances) / PASS_RATE), "", None),
    ("rds_ series", "%d (rds_up 1: %d aliyun + %d external)" % (len(rds_series), up_aliyun, up_external), "", None),
]
w("")
w("== summary")
w("  %-48s %-36s %-9s %s" % ("measure", "value", "target", "met"))
w("  " + "-" * 100)
for name, value, target, met in checks:
    w("  %-48s %-36s %-9s %s" % (name, value, target, "" if met is None else ("yes" if met else "NO")))
print("\n".join(out), flush=True)

json.dump(result, open(args.work + "/result.json", "w"), indent=1, default=str)
complete = up_aliyun == len(instances) and up_external == args.jdbc_targets
if not complete:
    print("not everything was published: rds_up 1 for %d/%d aliyun and %d/%d external targets"
          % (up_aliyun, len(instances), up_external, args.jdbc_targets))
    sys.exit(1)
sys.exit(0 if all(m for _, _, _, m in checks if m is not None) else 3)

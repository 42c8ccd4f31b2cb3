"""Scenarios measured BENCH_RUNS times (issue 18): the scenarios take turns (run 1 of each, then
run 2 of each, …), so that a slow minute of the shared machine falls on one sample of several
scenarios rather than on every sample of one. Where pgbench measures the same SQL, it runs right
before the API's run of the same turn and the ratio is taken per run (API run i / pgbench run i).
Every sample is kept (`runs`); the row's figures are medians, with the spread (min, max)."""

import statistics
import time

from .config import log, http, RUNS, POOL
from .measure import wrk, pgbench


def median_spread(values):
    """(median, [min, max]) of the values that are not None; (None, None) if there are none."""
    vals = [v for v in values if v is not None]
    if not vals:
        return None, None
    return round(statistics.median(vals), 3), [min(vals), max(vals)]


def all_errors(sample):
    return sample["non_2xx"] + sample["socket_errors"]


class Scenario:
    """One wrk scenario. `env` is a function returning wrk's environment for one run (tokens and
    ETags are taken fresh); `pg` is (pgbench script, name) when pgbench replays the same request;
    `met` decides the row's verdict from its summary; `errors` counts a sample's errors."""

    def __init__(self, name, script, env, pg=None, target=None, met=None, errors=all_errors, note="", **wrk_kw):
        self.name, self.script, self.env, self.pg = name, script, env, pg
        self.target, self.met, self.errors, self.note, self.wrk_kw = target, met, errors, note, wrk_kw
        self.samples = []

    def run_once(self, server, i, runs):
        sample = {"run": i + 1}
        if self.pg:
            log(f"pgbench: {self.pg[1]} (captured SQL, -c{POOL}; run {i + 1} of {runs})")
            p = pgbench(*self.pg)
            sample.update(pgbench_tps=p["tps"], pgbench_failed=p["failed"], pgbench_clients=p["clients"],
                          pgbench_latency_avg_ms=p["latency_avg_ms"])
            log(f"  {p['tps']:.0f} tps (failed {p['failed']})")
        log(f"wrk: {self.name} (run {i + 1} of {runs})")
        r = wrk(server, self.script, self.env(), **self.wrk_kw)
        r.pop("wrk_output")
        sample.update(r)
        sample["settle_s"] = settle(server)
        sample["errors"] = self.errors(sample)
        if self.pg:
            sample["ratio"] = round(r["rps"] / sample["pgbench_tps"], 3) if sample["pgbench_tps"] else None
        self.samples.append(sample)
        log(f"  {r['rps']:.0f} rps, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, errors {sample['errors']}, "
            f"max RSS {r['max_rss_mb']} MB" + (f", ratio {sample['ratio']}" if self.pg else ""))

    def summary(self):
        s = self.samples
        row = {"name": self.name, "runs": s, "target": self.target}
        for key in ("rps", "p50_ms", "p99_ms"):
            row[key], row[key.replace("_ms", "") + "_spread"] = median_spread(x[key] for x in s)
        for key in ("requests", "non_2xx", "socket_errors", "errors"):
            row[key] = sum(x[key] for x in s)
        row["max_rss_mb"] = max(x["max_rss_mb"] for x in s)
        if self.pg:
            row["pgbench_tps"], row["pgbench_spread"] = median_spread(x["pgbench_tps"] for x in s)
            row["pgbench_clients"] = s[0]["pgbench_clients"]
            row["ratio"], row["ratio_spread"] = median_spread(x["ratio"] for x in s)
        if self.note:
            row["note"] = self.note
        row["met"] = bool(self.met(row)) if self.met else row["errors"] == 0
        return row


def settle(server, limit_s=60):
    """Waits until the server answers /ready at once: requests wrk gave up on (a slow scenario's,
    e.g. Open311's big pages) may still hold the pool and would eat the next scenario's first
    seconds. Returns the seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        t = time.monotonic()
        try:
            if http(server.port, "GET", "/ready", timeout=5)[0] == 200 and time.monotonic() - t < 0.25:
                break
        except OSError:
            pass
        time.sleep(0.2)
    return round(time.monotonic() - t0, 2)


def run_all(server, scenarios, runs=RUNS):
    """Runs every scenario `runs` times, taking turns; returns their summaries in order."""
    t0 = time.monotonic()
    for i in range(runs):
        for sc in scenarios:
            sc.run_once(server, i, runs)
    log(f"{len(scenarios)} scenarios × {runs} runs in {time.monotonic() - t0:.0f} s")
    return [sc.summary() for sc in scenarios]

#!/usr/bin/env python3
"""`make bench`: seeds a city into PostgreSQL, loads the release binary with wrk, measures the
database's own limit with pgbench on the SQL the API really issues, and writes
bench/results/latest.{md,json}.

Usage: run.py <release dispatch binary>
Environment: BENCH_COMPLAINTS (1000000), BENCH_DURATION (15 s per scenario), BENCH_CONNECTIONS (32),
BENCH_PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable), BENCH_REUSE=1 (keep an already
seeded bench database), BENCH_SQLITE_COMPLAINTS (50000; 0 skips the SQLite part), BENCH_SMS (10000
receipt SMS drained through the SMSC simulator; 0 skips), BENCH_ONLY=sms (seed, then only the SMS
part, printed and kept in the work folder; results/ untouched: for developing the harness),
BENCH_WEBHOOK_TRANSITIONS (1000 accepts fanned out to BENCH_WEBHOOK_ENDPOINTS=10 webhook receivers;
0 skips), BENCH_OPEN311=0 (skips the Open311 reads), BENCH_ONLY=webhooks, open311 or
webhooks,open311 (seed, then only those parts, merged into results/latest.{json,md} beside the
last full run's figures, with their own date), BENCH_RUNS (3: every wrk scenario of the main
table, taking turns, with pgbench right before the API's run where it replays the same SQL and the
ratio per run; the transition scenario with and without the scorecard's counters, and the
scorecard's cold read, each run this many times; median and spread), BENCH_TRANSITION_POOL (60000 complaints to accept per run), BENCH_RESULTS_DIR (where
latest.{md,json} go; set it to a scratch folder for a run at a tiny scale), BENCH_LIVE_BOARDS (50
open dispatcher boards polling as the SPA does while BENCH_LIVE_FILINGS=30 complaints are filed,
one every BENCH_LIVE_GAP_S=1 s; 0 skips), BENCH_CHAIN=0 (skips the hash chain's part, issue 14:
harness/chain.py), BENCH_ONLY=chain (seed, then only that part, into RESULTS_DIR/chain-only.*),
BENCH_ONLY=counters (seed, then only the scorecard's counters' cost on an accept, into
RESULTS_DIR/counters-only.json: harness/counters.py).

A run at a tiny scale, to check the harness (never over results/latest.md):
BENCH_COMPLAINTS=5000 BENCH_DURATION=2 BENCH_RUNS=2 BENCH_TRANSITION_POOL=2000 BENCH_SMS=0
BENCH_WEBHOOK_TRANSITIONS=0 BENCH_OPEN311=0 BENCH_SQLITE_COMPLAINTS=0
BENCH_RESULTS_DIR=/tmp/bench-scratch python3 bench/run.py <binary>
"""

import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, HERE)
from harness.config import (  # noqa: E402
    log, db_url, psql, http, DURATION, CONNECTIONS, DB, SQLITE_COMPLAINTS, RESULTS_DIR, WORK,
    RUNS, POOL,
)
from harness.server import Server, RssSampler  # noqa: E402
from harness.measure import wrk, machine  # noqa: E402
from harness.data import (  # noqa: E402
    seed_postgres, seed_sqlite, load_mix, capture_sql, explain,
)
from harness.report import write  # noqa: E402
from harness.repeat import Scenario, run_all  # noqa: E402
from harness.sms import run_sms, SMS_N  # noqa: E402
from harness.webhooks import run_webhooks, TRANSITIONS as WEBHOOK_TRANSITIONS  # noqa: E402
from harness.open311 import run_open311  # noqa: E402
from harness.live_boards import run_live_boards, BOARDS as LIVE_BOARDS  # noqa: E402
from harness import chain, counters  # noqa: E402

OPEN311 = os.environ.get("BENCH_OPEN311", "1") != "0"


def issue12_parts(binary, result, only=None):
    """Open311 reads, then the webhook fan-out (which quiets the outbox and deadlines it finds);
    each part's failure is reported, not fatal."""
    if (OPEN311 if only is None else "open311" in only):
        log("Open311: requests.json beside the public list")
        try:
            result["open311"] = run_open311(binary)
        except Exception as e:  # noqa: BLE001 - report, do not lose the other results
            result["open311"] = {"error": str(e)}
    if (WEBHOOK_TRANSITIONS > 0 if only is None else "webhooks" in only):
        log(f"webhooks: {WEBHOOK_TRANSITIONS} accepts fanned out to the webhook receivers")
        try:
            result["webhooks"] = run_webhooks(binary)
        except Exception as e:  # noqa: BLE001
            result["webhooks"] = {"error": str(e)}


def only_issue12(binary, result, only):
    """BENCH_ONLY=webhooks/open311: these parts only, merged into the last full run's results."""
    path = os.path.join(RESULTS_DIR, "latest.json")
    with open(path) as f:
        merged = json.load(f)
    part = {"date": result["date"], "machine": result["machine"], "seed": result["seed"],
            "duration_s": DURATION, "connections": CONNECTIONS}
    issue12_parts(binary, part, only)
    for key in ("open311", "webhooks"):
        if key in part:
            merged[key] = part[key]
            merged.setdefault("partial_runs", {})[key] = {
                k: part[k] for k in ("date", "machine", "seed", "duration_s", "connections")}
    write(merged)
    log(f"{', '.join(sorted(only))} merged into {RESULTS_DIR}/latest.{{json,md}}")


def only_counters(binary, result, started):
    """BENCH_ONLY=counters: the counters' cost on an accept alone, into RESULTS_DIR/counters-only.json."""
    server = Server(binary, db_url(DB)).start()
    login = server.login("company")

    def scenario(name, script, env):
        log(f"wrk: {name}")
        r = wrk(server, script, env)
        r.pop("wrk_output")
        r["name"], r["errors"] = name, r["non_2xx"] + r["socket_errors"]
        log(f"  {r['rps']:.0f} rps, errors {r['errors']}")
        return r

    # A fresh token per run: the part can outlast an access token (15 minutes).
    result["transition_counters"] = counters.compare(
        binary, server, login["user"]["organisation"]["id"], scenario,
        lambda: server.login("company")["access_token"])
    server.stop()
    result["total_seconds"] = round(time.monotonic() - started, 1)
    path = os.path.join(RESULTS_DIR, "counters-only.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    log(f"done in {result['total_seconds']:.0f} s: {path}")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    os.makedirs(RESULTS_DIR, exist_ok=True)
    for tool in ("wrk", "pgbench", "psql"):
        if not shutil.which(tool):
            print(f"{tool} is missing: apt-get install wrk postgresql-client")
            return 2
    started = time.monotonic()
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": machine(), "duration_s": DURATION, "connections": CONNECTIONS,
              "binary": binary, "scenarios": []}
    log(f"machine: {result['machine']}")
    result["seed"] = seed_postgres(binary)
    if os.environ.get("BENCH_ONLY") == "counters":
        only_counters(binary, result, started)
        return 0
    unchained, chain_part = chain.seed_part(binary) if chain.CHAIN else (None, None)  # issue 14
    if os.environ.get("BENCH_ONLY") == "chain":
        chain.only_chain(binary, unchained, chain_part or {"error": "BENCH_CHAIN=0"}, result)
        return 0
    if os.environ.get("BENCH_ONLY") == "sms":
        result["sms"] = run_sms(binary)
        result["total_seconds"] = round(time.monotonic() - started, 1)
        path = os.path.join(WORK, "sms-only.json")
        with open(path, "w") as f:
            json.dump(result, f, indent=2, ensure_ascii=False)
        log(f"done in {result['total_seconds']:.0f} s: {path}")
        return 0
    only = {x.strip() for x in os.environ.get("BENCH_ONLY", "").split(",") if x.strip()}
    if only and only <= {"webhooks", "open311"}:
        only_issue12(binary, result, only)
        log(f"done in {time.monotonic() - started:.0f} s; work files in {WORK}")
        return 0

    # Start-to-ready on the seeded database (migrations already applied), three times.
    readies = []
    for _ in range(3):
        s = Server(binary, db_url(DB)).start()
        readies.append(s.ready_ms)
        s.stop()
    result["start_to_ready_ms"] = {"samples": [round(x, 1) for x in readies], "median": round(statistics.median(readies), 1)}
    log(f"start to ready: {result['start_to_ready_ms']}")

    server = Server(binary, db_url(DB)).start()
    company_login = server.login("company")
    company_org = company_login["user"]["organisation"]["id"]
    server.stop()
    mix = load_mix()

    # pgbench replays the captured filing's timestamps, so its rows date from the capture: count
    # the ids inserted from here on (the seed's are older, the accept pools come later).
    since = psql("SELECT now()")
    log("capturing the SQL of one create and one company queue")
    create_script, queue_script, n_create_stmts, queue_stmt = capture_sql(binary, mix)
    result["captured"] = {"create_statements": n_create_stmts, "queue_statements": 1}

    server = Server(binary, db_url(DB)).start()
    cached = {}

    def tokens(who):
        """A token per user, taken again after 5 minutes (access tokens live 15)."""
        if who not in cached or time.monotonic() - cached[who][1] > 300:
            cached[who] = (server.login(who)["access_token"], time.monotonic())
        return cached[who][0]

    def scenario(name, script, env, **kw):
        """A one-off wrk run (the scorecard's warm read), outside the repeated table."""
        log(f"wrk: {name}")
        r = wrk(server, script, env, **kw)
        r.pop("wrk_output")
        r["name"], r["errors"] = name, r["non_2xx"] + r["socket_errors"]
        rows.append(r)
        return r

    queue_path = "/api/v1/complaints?status=registered,in_progress&sort=newest&limit=20"
    company_key = server.api_key(company_org, ["complaints:read", "complaints:work"])
    ids = psql("SELECT id FROM complaints TABLESAMPLE SYSTEM (1) LIMIT 5000")
    ids_path = os.path.join(WORK, "ids.txt")
    with open(ids_path, "w") as f:
        f.write(ids + "\n")
    queue_env = lambda: {"BENCH_TOKEN": tokens("company"), "BENCH_PATH": queue_path}  # noqa: E731

    cond_codes = []

    def cond_env():
        """The queue's current ETag (the create runs between the turns may change the page), and one
        conditional request's status: wrk counts a 304 as a success, so its output cannot tell a 304
        from a 200 (the verdict was **no** in every run before)."""
        token = tokens("company")
        etag = server.etag(queue_path, token)
        cond_codes.append(http(server.port, "GET", queue_path, token=token, headers={"If-None-Match": etag})[0])
        return {"BENCH_TOKEN": token, "BENCH_PATH": queue_path, "BENCH_IF_NONE_MATCH": etag}

    scenarios = [
        Scenario("create complaint (40 residents × 50 buildings, unique Idempotency-Key)", "create.lua",
                 lambda: {"BENCH_TOKENS": ",".join(tokens(x) for x in mix["logins"]),
                          "BENCH_BUILDINGS": ",".join(mix["buildings"]),
                          "BENCH_CATEGORIES": ",".join(mix["categories"])},
                 pg=(create_script, "create"), target="≥ 0.7× pgbench",
                 met=lambda r: r["ratio"] is not None and r["ratio"] >= 0.7 and r["errors"] == 0),
        Scenario("company queue (newest 20 open)", "get.lua", queue_env, pg=(queue_script, "queue"),
                 target="≥ 0.6× pgbench, p99 ≤ 10 ms",
                 met=lambda r: r["ratio"] is not None and r["ratio"] >= 0.6 and (r["p99_ms"] or 1e9) <= 10
                 and r["errors"] == 0),
        # The same request at a concurrency two shared cores can carry, for the latency at that load.
        Scenario("company queue at 8 connections (for comparison)", "get.lua", queue_env, connections=8),
        Scenario("company queue read with the company's API key (rate limit counted in the database)", "get.lua",
                 lambda: {"BENCH_TOKEN": company_key, "BENCH_PATH": queue_path},
                 target="(informational: the key's lookup and its rate-limit count per request)"),
        # wrk counts every answer but 2xx as an error; here 304 is the expected answer.
        Scenario("company queue, conditional GET answered 304 (If-None-Match)", "get.lua", cond_env,
                 errors=lambda x: x["socket_errors"],
                 met=lambda r: r["errors"] == 0 and bool(cond_codes) and all(c == 304 for c in cond_codes),
                 note="every answer is 304 Not Modified, with no body: the page is computed and hashed, not sent"),
        Scenario("dispatcher board (status=registered, overdue=false)", "get.lua",
                 lambda: {"BENCH_TOKEN": tokens("dispatcher"),
                          "BENCH_PATH": "/api/v1/complaints?status=registered&overdue=false&limit=20"}),
        Scenario("one complaint + its history (GET /{id}, /{id}/events)", "complaint.lua",
                 lambda: {"BENCH_TOKEN": tokens("dispatcher"), "BENCH_IDS_FILE": ids_path}),
    ]
    rows = run_all(server, scenarios)
    # Every id the filings inserted (the API's and pgbench's) is time-ordered: their version nibbles.
    result["ids_since_seed"] = {t: dict(l.split("|") for l in psql(
        f"SELECT substr(id::text, 15, 1), count(*) FROM {t} WHERE {col} >= '{since}' GROUP BY 1").splitlines())
        for t, col in (("complaints", "registered_at"), ("complaint_events", "at"), ("outbox", "created_at"),
                       ("complaint_clocks", "started_at"))}
    log(f"ids inserted during the scenarios, by UUID version: {result['ids_since_seed']}")
    rows[4]["probe_statuses"] = cond_codes
    pg_runs = {sc.pg[1]: [{k: v for k, v in x.items() if k.startswith("pgbench") or k in ("run", "ratio")}
                          for x in sc.samples] for sc in scenarios if sc.pg}

    # Read before the counters' pairs, which start the server afresh for every run.
    status = server.status()
    result["transition_counters"] = counters.compare(binary, server, company_org, scenario, lambda: tokens("company"))
    result["rss_under_load_mb"] = {"max_vmrss_sampled": max(r["max_rss_mb"] for r in rows),
                                   "vmhwm_before_scorecard": status.get("VmHWM"), "vmrss_now": status.get("VmRSS")}
    server.stop()

    # The scorecard's cold read: the first request of a freshly started server (nothing cached),
    # RUNS times; it reads the counters (O(companies) rows) and the open overdue complaints.
    colds, codes, after = [], [], {}
    for i in range(RUNS):
        server = Server(binary, db_url(DB)).start()
        t0 = time.monotonic()
        try:
            code, _, body = http(server.port, "GET", "/api/v1/public/scorecard", timeout=600)
        except OSError as e:
            code, body = f"no answer ({type(e).__name__})", b""
        colds.append((time.monotonic() - t0) * 1000)
        codes.append(code)
        after = server.status()
        if i < RUNS - 1:
            server.stop()
    cold_ms = statistics.median(colds)
    ok = all(c == 200 for c in codes)
    result["scorecard_cold"] = {"status": 200 if ok else codes, "seconds": round(cold_ms / 1000, 3),
                                "samples_ms": [round(x, 1) for x in colds], "median_ms": round(cold_ms, 1),
                                "spread_ms": [round(min(colds), 1), round(max(colds), 1)],
                                "target": "≤ 100 ms", "met": ok and cold_ms <= 100,
                                "vmhwm_mb": after.get("VmHWM"), "vmrss_after_mb": after.get("VmRSS"),
                                "bytes": len(body)}
    log(f"  scorecard cold: {result['scorecard_cold']}")
    if ok:
        sc = scenario("public scorecard (warm: at most 2 s old per replica)", "get.lua",
                      {"BENCH_TOKEN": "", "BENCH_PATH": "/api/v1/public/scorecard"},
                      duration=min(DURATION, 15))
        sc["met"] = sc["errors"] == 0
        sc["note"] = f"cold read median {cold_ms:.0f} ms over {RUNS} runs"
    server.stop()

    rss = result["rss_under_load_mb"]["max_vmrss_sampled"]
    ready = result["start_to_ready_ms"]["median"]
    result["targets"] = {
        "rss_under_load_le_150mb": {"value": rss, "met": rss <= 150},
        "start_to_ready_le_1000ms": {"value": ready, "met": ready <= 1000},
        "scorecard_peak_rss_mb": {"value": after.get("VmHWM"), "met": (after.get("VmHWM") or 0) <= 150},
    }
    result["scenarios"] = rows
    result["pgbench"] = pg_runs
    result["runs"] = RUNS
    result["pool"] = POOL
    log("EXPLAIN ANALYZE of the captured company queue")
    result["explain_queue"] = explain(queue_stmt)
    if SMS_N > 0:
        log(f"SMS: {SMS_N} receipt SMS through the SMSC simulator, read throughput with and without the drain")
        try:
            result["sms"] = run_sms(binary)
        except Exception as e:  # noqa: BLE001 - report, do not lose the other results
            result["sms"] = {"error": str(e), "messages": SMS_N}
    issue12_parts(binary, result)
    if LIVE_BOARDS > 0:
        log(f"live feed: {LIVE_BOARDS} open dispatcher boards while complaints are filed")
        try:
            result["live_boards"] = run_live_boards(binary)
        except Exception as e:  # noqa: BLE001 - report, do not lose the other results
            result["live_boards"] = {"error": str(e)}
    if chain_part is not None:
        log("the hash chain: transitions with and without it, then verify-history")
        result["chain"] = chain.measure_part(binary, unchained, chain_part)
    if SQLITE_COMPLAINTS > 0:
        log(f"SQLite: seeding {SQLITE_COMPLAINTS} complaints")
        try:
            result["sqlite"] = seed_sqlite(binary)
        except Exception as e:  # noqa: BLE001 - report, do not lose the PostgreSQL results
            result["sqlite"] = {"error": str(e)}
    result["total_seconds"] = round(time.monotonic() - started, 1)
    write(result)
    log(f"done in {result['total_seconds']:.0f} s; work files in {WORK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

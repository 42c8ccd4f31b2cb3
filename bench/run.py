#!/usr/bin/env python3
"""`make bench`: seeds a city into PostgreSQL, loads the release binary with wrk, measures the
database's own limit with pgbench on the SQL the API really issues, and writes
bench/results/latest.{md,json}.

Usage: run.py <release dispatch binary>
Environment: BENCH_COMPLAINTS (1000000), BENCH_DURATION (15 s per scenario), BENCH_CONNECTIONS (32),
BENCH_PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_REUSE=1 (keep an already
seeded bench database), BENCH_SQLITE_COMPLAINTS (50000; 0 skips the SQLite part), BENCH_SMS (10000
receipt SMS drained through the SMSC simulator; 0 skips), BENCH_ONLY=sms (seed, then only the SMS
part, printed and kept in the work folder; results/ untouched: for developing the harness),
BENCH_WEBHOOK_TRANSITIONS (1000 accepts fanned out to BENCH_WEBHOOK_ENDPOINTS=10 webhook receivers;
0 skips), BENCH_OPEN311=0 (skips the Open311 reads), BENCH_ONLY=webhooks, open311 or
webhooks,open311 (seed, then only those parts, merged into results/latest.{json,md} beside the
last full run's figures, with their own date), BENCH_RUNS (3: the transition scenario with and
without the scorecard's counters, and the scorecard's cold read, each run this many times; median
and spread), BENCH_TRANSITION_POOL (60000 complaints to accept per run), BENCH_RESULTS_DIR (where
latest.{md,json} go; set it to a scratch folder for a run at a tiny scale), BENCH_LIVE_BOARDS (50
open dispatcher boards polling as the SPA does while BENCH_LIVE_FILINGS=30 complaints are filed,
one every BENCH_LIVE_GAP_S=1 s; 0 skips), BENCH_CHAIN=0 (skips the hash chain's part, issue 14:
harness/chain.py), BENCH_ONLY=chain (seed, then only that part, into RESULTS_DIR/chain-only.*).

A run at a tiny scale, to check the harness (never over results/latest.md):
BENCH_COMPLAINTS=5000 BENCH_DURATION=2 BENCH_RUNS=1 BENCH_TRANSITION_POOL=2000 BENCH_SMS=0
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
    TRANSITION_POOL, RUNS, JWT_SECRET,
)
from harness.server import Server, RssSampler  # noqa: E402
from harness.measure import wrk, pgbench, machine  # noqa: E402
from harness.data import (  # noqa: E402
    seed_postgres, seed_sqlite, load_mix, capture_sql, explain, prepare_transition_pool,
)
from harness.report import fmt, write  # noqa: E402
from harness.sms import run_sms, SMS_N  # noqa: E402
from harness.webhooks import run_webhooks, TRANSITIONS as WEBHOOK_TRANSITIONS  # noqa: E402
from harness.open311 import run_open311  # noqa: E402
from harness.live_boards import run_live_boards, BOARDS as LIVE_BOARDS  # noqa: E402
from harness import chain  # noqa: E402

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

    log("capturing the SQL of one create and one company queue")
    create_script, queue_script, n_create_stmts, queue_stmt = capture_sql(binary, mix)
    result["captured"] = {"create_statements": n_create_stmts, "queue_statements": 1}

    server = Server(binary, db_url(DB)).start()
    tokens = lambda who: server.login(who)["access_token"]  # noqa: E731 - fresh token per scenario
    rows = []

    def scenario(name, script, env, target=None, pg=None, **kw):
        log(f"wrk: {name}")
        r = wrk(server, script, env, **kw)
        r["name"] = name
        r["errors"] = r["non_2xx"] + r["socket_errors"]
        if pg:
            r["pgbench_tps"] = pg["tps"]
            r["ratio"] = round(r["rps"] / pg["tps"], 3) if pg["tps"] else None
        r["target"] = target
        with open(os.path.join(WORK, f"wrk-{len(rows)}.txt"), "w") as f:
            f.write(r.pop("wrk_output"))
        rows.append(r)
        log(f"  {r['rps']:.0f} rps, p50 {fmt(r['p50_ms'], 2)} ms, p99 {fmt(r['p99_ms'], 2)} ms, errors {r['errors']}, "
            f"max RSS {r['max_rss_mb']} MB")
        return r

    log("pgbench: create (captured SQL)")
    pg_create = pgbench(create_script, "create")
    log(f"  {pg_create['tps']:.0f} tps (failed {pg_create['failed']})")
    resident_tokens = ",".join(tokens(x) for x in mix["logins"])
    create = scenario("create complaint (40 residents × 50 buildings, unique Idempotency-Key)", "create.lua",
                      {"BENCH_TOKENS": resident_tokens, "BENCH_BUILDINGS": ",".join(mix["buildings"]),
                       "BENCH_CATEGORIES": ",".join(mix["categories"])},
                      pg=pg_create)
    create["target"] = "≥ 0.7× pgbench"
    create["met"] = bool(create.get("ratio") and create["ratio"] >= 0.7 and create["errors"] == 0)

    log("pgbench: company queue (captured SQL)")
    pg_queue = pgbench(queue_script, "queue")
    log(f"  {pg_queue['tps']:.0f} tps")
    queue = scenario("company queue (newest 20 open)", "get.lua",
                     {"BENCH_TOKEN": tokens("company"),
                      "BENCH_PATH": "/api/v1/complaints?status=registered,in_progress&sort=newest&limit=20"},
                     pg=pg_queue)
    queue["target"] = "≥ 0.6× pgbench, p99 ≤ 10 ms"
    queue["met"] = bool(queue.get("ratio") and queue["ratio"] >= 0.6 and (queue["p99_ms"] or 1e9) <= 10 and queue["errors"] == 0)
    # The same request at a concurrency two shared cores can carry, for the latency at that load.
    queue8 = scenario("company queue at 8 connections (for comparison)", "get.lua",
                      {"BENCH_TOKEN": tokens("company"),
                       "BENCH_PATH": "/api/v1/complaints?status=registered,in_progress&sort=newest&limit=20"},
                      connections=8)
    queue8["target"] = "p99 ≤ 10 ms (informational)"
    queue8["met"] = bool((queue8["p99_ms"] or 1e9) <= 10 and queue8["errors"] == 0)

    queue_path = "/api/v1/complaints?status=registered,in_progress&sort=newest&limit=20"
    company_key = server.api_key(company_org, ["complaints:read", "complaints:work"])
    keyed = scenario("company queue read with the company's API key (rate limit counted in the database)",
                     "get.lua", {"BENCH_TOKEN": company_key, "BENCH_PATH": queue_path})
    keyed["target"] = "(informational: the key's lookup and its rate-limit count per request)"
    keyed["met"] = keyed["errors"] == 0
    staff_token = tokens("company")
    etag = server.etag(queue_path, staff_token)
    cond = scenario("company queue, conditional GET answered 304 (If-None-Match)", "get.lua",
                    {"BENCH_TOKEN": staff_token, "BENCH_PATH": queue_path, "BENCH_IF_NONE_MATCH": etag})
    # wrk counts every answer but 2xx as an error; here 304 is the expected answer.
    cond["errors"] = cond["socket_errors"]
    cond["note"] = "every answer is 304 Not Modified, with no body: the page is computed and hashed, not sent"
    cond["met"] = cond["errors"] == 0 and cond["non_2xx"] > 0

    board = scenario("dispatcher board (status=registered, overdue=false)", "get.lua",
                     {"BENCH_TOKEN": tokens("dispatcher"),
                      "BENCH_PATH": "/api/v1/complaints?status=registered&overdue=false&limit=20"})
    board["met"] = board["errors"] == 0

    ids = psql("SELECT id FROM complaints TABLESAMPLE SYSTEM (1) LIMIT 5000")
    ids_path = os.path.join(WORK, "ids.txt")
    with open(ids_path, "w") as f:
        f.write(ids + "\n")
    one = scenario("one complaint + its history (GET /{id}, /{id}/events)", "complaint.lua",
                   {"BENCH_TOKEN": tokens("dispatcher"), "BENCH_IDS_FILE": ids_path})
    one["met"] = one["errors"] == 0

    # Transitions with the scorecard's counters (triggers on) and without them (dropped for the
    # run, then recreated and rebuilt), alternating, RUNS times each; the cost is taken per run.
    def triggers(state):
        subprocess.run([binary, "scorecard-triggers", state], check=True, capture_output=True, timeout=3600,
                       env=dict(os.environ, DATABASE_URL=db_url(DB), APP_JWT_SECRET=JWT_SECRET,
                                RUST_LOG="warn"))

    runs = []
    for i in range(RUNS):
        pair = {}
        for mode in ("with", "without"):
            if mode == "without":
                triggers("off")
            pool_path, pool_n = prepare_transition_pool(company_org, TRANSITION_POOL,
                                                        tag=f"Заявка для проверки принятия {i} {mode}",
                                                        name=f"transition-ids-{i}-{mode}.txt")
            log(f"prepared {pool_n} registered complaints for accept (run {i + 1}, {mode} counters)")
            r = scenario(f"transition accept with If-Match, {mode} the scorecard's counters (run {i + 1} of {RUNS})",
                         "transition.lua", {"BENCH_TOKEN": tokens("company"), "BENCH_IDS_FILE": pool_path})
            r["note"] = ("each id is accepted once; if the pool runs out, the repeats answer 409/412 and count as errors"
                         if r["requests"] > pool_n else "")
            r["met"] = r["errors"] == 0
            r["target"] = "no errors (the cost of the counters: below)"
            pair[mode] = r
            if mode == "without":
                log("recreating the counters' triggers and rebuilding the counters")
                triggers("on")
        with_rps, without_rps = pair["with"]["rps"], pair["without"]["rps"]
        runs.append({"with_rps": with_rps, "without_rps": without_rps,
                     "slower_pct": round((1 - with_rps / without_rps) * 100, 1) if without_rps else None})
    slower = [r["slower_pct"] for r in runs if r["slower_pct"] is not None]
    result["transition_counters"] = {
        "runs": runs,
        "slower_pct_median": round(statistics.median(slower), 1) if slower else None,
        "slower_pct_spread": [min(slower), max(slower)] if slower else None,
        "with_rps_median": round(statistics.median(r["with_rps"] for r in runs), 1),
        "without_rps_median": round(statistics.median(r["without_rps"] for r in runs), 1),
        "target": "≤ 5 % slower with the counters",
    }
    result["transition_counters"]["met"] = bool(slower) and statistics.median(slower) <= 5
    log(f"  counters cost: {result['transition_counters']}")
    status = server.status()
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
    result["pgbench"] = {"create": {k: v for k, v in pg_create.items() if k != "output"},
                         "queue": {k: v for k, v in pg_queue.items() if k != "output"}}
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

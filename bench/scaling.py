#!/usr/bin/env python3
"""`make bench-scaling` (issue 18): each list scenario at growing table sizes, to show whether its
cost grows with the table. For each size in BENCH_SCALING_SIZES (100000,1000000,3000000) it seeds a
fresh city (bench/seed/seed_postgres.sql, timed: seconds and complaints/s), starts the binary and
reads, BENCH_RUNS times taking turns (medians and spread, as in `make bench`): the company queue,
the dispatcher board, the public list, the Open311 list and one complaint + its history. Writes
scaling.{md,json} to BENCH_RESULTS_DIR (bench/results).

Usage: scaling.py <release dispatch binary>
Environment: BENCH_SCALING_SIZES, BENCH_DURATION (15 s per run), BENCH_CONNECTIONS (32), BENCH_RUNS
(3), BENCH_DB (dispatch_bench: dropped and seeded again for each size), BENCH_RESULTS_DIR.

A check of the driver at a tiny scale (never over results/scaling.md):
BENCH_DB=dispatch_bench_scratch BENCH_SCALING_SIZES=5000,20000 BENCH_DURATION=2 BENCH_RUNS=2
BENCH_RESULTS_DIR=/tmp/bench-scratch python3 bench/scaling.py <binary>
"""

import datetime
import json
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, HERE)
from harness.config import log, db_url, psql, DURATION, CONNECTIONS, DB, RESULTS_DIR, WORK, RUNS  # noqa: E402
from harness.server import Server  # noqa: E402
from harness.measure import machine  # noqa: E402
from harness.data import seed_postgres  # noqa: E402
from harness.repeat import Scenario, run_all  # noqa: E402
from harness.report import fmt, span  # noqa: E402

SIZES = [int(x) for x in os.environ.get("BENCH_SCALING_SIZES", "100000,1000000,3000000").split(",") if x.strip()]
# A scenario "grows with the table" when its median rps at the largest size is more than this
# fraction below the smallest size's (two runs on the shared 2 cores differ by up to ~10-15 %).
GROWTH_FLAG = 0.25
QUEUE = "/api/v1/complaints?status=registered,in_progress&sort=newest&limit=20"
BOARD = "/api/v1/complaints?status=registered&overdue=false&limit=20"


def measure_size(binary, n):
    seed = seed_postgres(binary, n)
    seed["complaints_per_second"] = round(seed["complaints"] / seed["seconds"]) if seed.get("seconds") else None
    server = Server(binary, db_url(DB)).start()
    try:
        tokens = {who: server.login(who)["access_token"] for who in ("company", "dispatcher")}
        ids_path = os.path.join(WORK, f"ids-{n}.txt")
        with open(ids_path, "w") as f:
            f.write(psql("SELECT id FROM complaints TABLESAMPLE SYSTEM (1) LIMIT 5000") + "\n")
        open_in_queue = int(psql(
            "SELECT count(*) FROM complaints c JOIN users u ON u.organisation_id = c.company_id "
            "WHERE u.login = 'company@demo.test' AND c.status IN ('registered', 'in_progress')"))
        get = lambda token, path: (lambda: {"BENCH_TOKEN": token, "BENCH_PATH": path})  # noqa: E731
        scenarios = [
            Scenario(f"company queue (newest 20; {open_in_queue} open)", "get.lua", get(tokens["company"], QUEUE)),
            Scenario("dispatcher board (registered, not overdue, 20)", "get.lua", get(tokens["dispatcher"], BOARD)),
            Scenario("public list (default page)", "get.lua", get("", "/api/v1/public/complaints")),
            Scenario("Open311 requests.json (no filter)", "get.lua", get("", "/open311/v2/requests.json")),
            Scenario("one complaint + its history", "complaint.lua",
                     lambda: {"BENCH_TOKEN": tokens["dispatcher"], "BENCH_IDS_FILE": ids_path}),
        ]
        rows = run_all(server, scenarios)
    finally:
        server.stop()
    return {"complaints": n, "seed": seed, "open_in_company_queue": open_in_queue, "scenarios": rows}


def growth(sizes):
    """Per scenario: median rps and p99 at the smallest and the largest size, and the verdict."""
    out = []
    first, last = sizes[0], sizes[-1]
    for a, b in zip(first["scenarios"], last["scenarios"]):
        change = (b["rps"] / a["rps"] - 1) if a["rps"] else None
        out.append({"scenario": a["name"].split(" (")[0], "rps_change": None if change is None else round(change, 3),
                    "p99_ratio": round(b["p99_ms"] / a["p99_ms"], 2) if a["p99_ms"] and b["p99_ms"] else None,
                    "grows": change is not None and change < -GROWTH_FLAG})
    return out


def write(result):
    with open(os.path.join(RESULTS_DIR, "scaling.json"), "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    m = result["machine"]
    lines = [
        "# Benchmark — scaling of the list scenarios", "",
        f"{result['date']} · `make bench-scaling` · {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, "
        f"PostgreSQL {m['postgres']}; load average at start {', '.join(f'{x:.1f}' for x in m['load_avg_at_start'])}. "
        f"Each size: a fresh city seeded by `seed/seed_postgres.sql` (skewed: company@demo.test's company is the "
        f"biggest), then wrk `-t2 -c{result['connections']} -d{result['duration_s']}s`, {result['runs']} runs per "
        "scenario taking turns; medians, `min…max` the spread.", "",
        "| complaints | seeded in s | complaints/s | events | database |", "|---:|---:|---:|---:|---:|",
    ]
    for s in result["sizes"]:
        sd = s["seed"]
        if sd.get("reused"):  # BENCH_REUSE=1 kept a database of at least this size
            lines.append(f"| {s['complaints']:,} | reused ({sd['complaints']:,} complaints) | — | — | — |")
            continue
        lines.append(f"| {s['complaints']:,} | {sd['seconds']} | {fmt(sd['complaints_per_second'])} | "
                     f"{sd['events']:,} | {sd['database_size']} |")
    lines += ["", "| scenario | complaints | rps | rps min…max | p50 ms | p99 ms | p99 min…max | errors |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for i in range(len(result["sizes"][0]["scenarios"])):
        for s in result["sizes"]:
            r = s["scenarios"][i]
            lines.append(f"| {r['name']} | {s['complaints']:,} | {r['rps']:.0f} | {span(r['rps_spread'], 0)} | "
                         f"{fmt(r['p50_ms'], 2)} | {fmt(r['p99_ms'], 2)} | {span(r['p99_spread'], 2)} | {r['errors']} |")
    lines += ["", f"Does the cost grow with the table? From {result['sizes'][0]['complaints']:,} to "
              f"{result['sizes'][-1]['complaints']:,} complaints (flagged when the median rps falls by more than "
              f"{GROWTH_FLAG:.0%}):", "", "| scenario | rps change | p99 × | grows? |", "|---|---:|---:|---|"]
    for g in result["growth"]:
        lines.append(f"| {g['scenario']} | {fmt(None if g['rps_change'] is None else g['rps_change'] * 100, 1)} % | "
                     f"{fmt(g['p99_ratio'], 2)} | {'**yes**' if g['grows'] else 'no'} |")
    lines += ["", f"Whole run: {result['total_seconds']:.0f} s. Raw numbers: `scaling.json`.", ""]
    with open(os.path.join(RESULTS_DIR, "scaling.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    for tool in ("wrk", "psql"):
        if not shutil.which(tool):
            print(f"{tool} is missing: apt-get install wrk postgresql-client")
            return 2
    os.makedirs(RESULTS_DIR, exist_ok=True)
    started = time.monotonic()
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": machine(), "duration_s": DURATION, "connections": CONNECTIONS, "runs": RUNS,
              "binary": binary, "sizes": []}
    for n in SIZES:
        log(f"scaling: {n} complaints")
        result["sizes"].append(measure_size(binary, n))
    result["growth"] = growth(result["sizes"])
    result["total_seconds"] = round(time.monotonic() - started, 1)
    write(result)
    log(f"done in {result['total_seconds']:.0f} s: {RESULTS_DIR}/scaling.md; work files in {WORK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

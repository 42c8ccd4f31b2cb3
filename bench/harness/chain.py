"""Issue 14: what the history's hash chain costs a transition, and how long `dispatch
verify-history` takes over the whole seeded city.

- **The instrument.** The same release server built with the cargo feature `bench-unchained`
  (off by default, never deployed: a target dir of its own, no runtime switch, and its server
  refuses to start outside demo mode) writes events without their chain: no read of the previous
  event's hash, no SHA-256, NULL `prev_hash`/`hash` (a row 130 bytes narrower). Everything else
  is the same code.
- **Real chains in the seed.** The SQL seed inserts events without hashes (verify-history names
  every complaint `missing_hash`). `seed_chains` streams every event through the unchained
  build's `dispatch bench-chain-hashes` (the product's own `event_hash` over the row as stored,
  read-only), loads the hashes with psql's `\\copy` and writes them with the append-only trigger
  lifted for that one UPDATE, as migration 22 did for the events before the chain.
- **The cost.** `BENCH_RUNS` pairs of the accept scenario (wrk, `transition.lua`, If-Match "1"),
  one run on the chained binary and one on the unchained one, each on a fresh pool of registered
  complaints and a freshly started server; the order alternates from pair to pair so that a drift
  of the shared machine does not always fall on the same side. The cost is `1 - rps_with /
  rps_without` per pair, reported as the median and the spread (target <= 10 %). The accept
  events of each run are counted with and without hashes, so the instrument is checked too.
- **Verification.** After the pairs, the chains are completed again (the pools' registered events
  and the unchained runs' accepts were written without hashes), then the chained binary's
  `verify-history` runs over the whole database: wall time, complaints/s, peak RSS (the child's
  ru_maxrss), and what it found.

BENCH_CHAIN=0 skips all of it; BENCH_UNCHAINED_BINARY uses a ready unchained build instead of
building one (into BENCH_UNCHAINED_TARGET_DIR, default `<target dir>/bench-unchained`).
"""

import os
import re
import statistics
import subprocess
import time

from .config import HERE, log, db_url, psql, DB, JWT_SECRET, RUNS, TRANSITION_POOL, WORK
from .server import Server
from .measure import wrk
from .data import prepare_transition_pool

CHAIN = os.environ.get("BENCH_CHAIN", "1") != "0"
REPO = os.path.dirname(HERE)


def _env():
    return dict(os.environ, DATABASE_URL=db_url(DB), APP_JWT_SECRET=JWT_SECRET, RUST_LOG="warn")


def build_unchained(binary):
    """The unchained release binary: BENCH_UNCHAINED_BINARY, or built beside the chained one's
    target dir (a dir of its own, so that the chained binary is never overwritten)."""
    ready = os.environ.get("BENCH_UNCHAINED_BINARY")
    if ready:
        return os.path.abspath(ready)
    target = (os.environ.get("BENCH_UNCHAINED_TARGET_DIR")
              or os.path.join(os.path.dirname(os.path.dirname(binary)), "bench-unchained"))
    log(f"building the bench-only unchained binary into {target} (cargo feature bench-unchained)")
    t0 = time.monotonic()
    out = subprocess.run(["cargo", "build", "--release", "-p", "api", "--bin", "dispatch",
                          "--features", "api/bench-unchained"],
                         cwd=REPO, env=dict(os.environ, CARGO_TARGET_DIR=target),
                         capture_output=True, text=True, timeout=7200)
    if out.returncode:
        raise RuntimeError(f"unchained build failed:\n{out.stderr[-3000:]}")
    log(f"  built in {time.monotonic() - t0:.0f} s")
    return os.path.join(target, "release", "dispatch")


def seed_chains(unchained):
    """Writes the chain of every event whose stored hashes are not the ones its chain makes.
    Returns the events seen, the rows written and the seconds."""
    t0 = time.monotonic()
    psql("DROP TABLE IF EXISTS bench_chain_fill; "
         "CREATE UNLOGGED TABLE bench_chain_fill (id uuid, prev_hash varchar(64), hash varchar(64))")
    hashes = subprocess.Popen([unchained, "bench-chain-hashes"], env=_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    load = subprocess.run(["psql", db_url(DB), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                           "-c", "\\copy bench_chain_fill FROM STDIN (FORMAT csv)"],
                          stdin=hashes.stdout, capture_output=True, text=True, timeout=7200)
    hashes.stdout.close()
    err = hashes.stderr.read().decode("utf-8", "replace")
    if hashes.wait() or load.returncode:
        raise RuntimeError(f"bench-chain-hashes: {err[-2000:]} {load.stderr[-2000:]}")
    m = re.search(r"(\d+) events, (\d+) to write", err)
    events, written = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    computed = time.monotonic() - t0
    psql("BEGIN; ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_append_only; "
         "UPDATE complaint_events e SET prev_hash = f.prev_hash, hash = f.hash "
         "FROM bench_chain_fill f WHERE e.id = f.id; "
         "ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_append_only; COMMIT; "
         "DROP TABLE bench_chain_fill", timeout=7200)
    if written:
        psql("VACUUM ANALYZE complaint_events", timeout=7200)
    seconds = time.monotonic() - t0
    log(f"chains: {events} events, {written} written, in {seconds:.1f} s (hashes computed and loaded in {computed:.1f} s)")
    return {"events": events, "written": written, "seconds": round(seconds, 1),
            "hash_and_load_seconds": round(computed, 1)}


def verify_history(binary):
    """`dispatch verify-history` over the whole database: wall time, peak RSS, what it found."""
    out_path = os.path.join(WORK, "verify-history.txt")
    with open(out_path, "w") as out:
        t0 = time.monotonic()
        proc = subprocess.Popen([binary, "verify-history"], env=_env(), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path) as f:
        text = f.read()
    m = re.search(r"history: (\d+) complaints, (\d+) events, (\d+) broken chains", text)
    complaints, events, broken = (int(x) for x in m.groups()) if m else (None, None, None)
    checkpoint = next((line for line in text.splitlines() if "checkpoint" in line.lower()), None)
    return {"exit_code": proc.returncode, "seconds": round(seconds, 2), "complaints": complaints,
            "events": events, "broken": broken,
            "complaints_per_second": round(complaints / seconds) if complaints and seconds else None,
            "events_per_second": round(events / seconds) if events and seconds else None,
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "checkpoint": checkpoint,
            "first_lines": text.splitlines()[:5]}


def hashed_accepts(tag):
    """(accept events with both hashes, all accept events) of a pool."""
    row = psql("SELECT count(*) FILTER (WHERE e.hash IS NOT NULL AND e.prev_hash IS NOT NULL), count(*) "
               "FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id "
               f"WHERE e.kind = 'accept' AND c.description LIKE '{tag} %'")
    hashed, total = row.split("|")
    return int(hashed), int(total)


def transition_pairs(binary, unchained, company_org):
    runs = []
    for i in range(RUNS):
        order = ("with", "without") if i % 2 == 0 else ("without", "with")
        pair = {}
        for mode in order:
            tag = f"Заявка для проверки цепочки {i} {mode}"
            pool_path, pool_n = prepare_transition_pool(company_org, TRANSITION_POOL, tag=tag,
                                                        name=f"chain-ids-{i}-{mode}.txt")
            server = Server(binary if mode == "with" else unchained, db_url(DB)).start()
            try:
                token = server.login("company")["access_token"]
                log(f"wrk: accept with If-Match, {mode} the chain (pair {i + 1} of {RUNS}, pool {pool_n})")
                r = wrk(server, "transition.lua", {"BENCH_TOKEN": token, "BENCH_IDS_FILE": pool_path})
            finally:
                server.stop()
            with open(os.path.join(WORK, f"wrk-chain-{i}-{mode}.txt"), "w") as f:
                f.write(r.pop("wrk_output"))
            hashed, accepts = hashed_accepts(tag)
            pair[mode] = {"rps": r["rps"], "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"],
                          "requests": r["requests"], "errors": r["non_2xx"] + r["socket_errors"],
                          "pool": pool_n, "pool_ran_out": r["requests"] > pool_n,
                          "max_rss_mb": r["max_rss_mb"], "accepts": accepts, "accepts_hashed": hashed}
            log(f"  {r['rps']:.0f} rps, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, errors {pair[mode]['errors']}, "
                f"accept events hashed {hashed}/{accepts}")
        w, wo = pair["with"]["rps"], pair["without"]["rps"]
        runs.append({"order": list(order), "with": pair["with"], "without": pair["without"],
                     "slower_pct": round((1 - w / wo) * 100, 1) if wo else None})
    slower = [r["slower_pct"] for r in runs if r["slower_pct"] is not None]
    instrument_ok = all(r["with"]["accepts_hashed"] == r["with"]["accepts"] > 0
                        and r["without"]["accepts_hashed"] == 0 < r["without"]["accepts"] for r in runs)
    errors = sum(r["with"]["errors"] + r["without"]["errors"] for r in runs)
    out = {"runs": runs,
           "slower_pct_median": round(statistics.median(slower), 1) if slower else None,
           "slower_pct_spread": [min(slower), max(slower)] if slower else None,
           "with_rps_median": round(statistics.median(r["with"]["rps"] for r in runs), 1),
           "without_rps_median": round(statistics.median(r["without"]["rps"] for r in runs), 1),
           "instrument_checked": instrument_ok, "errors": errors,
           "target": "≤ 10 % slower with the chain"}
    out["met"] = bool(slower) and statistics.median(slower) <= 10 and instrument_ok and errors == 0
    return out


def run_chain(binary, unchained, company_org):
    """The pairs, the chains completed again, then verify-history."""
    result = {"transition": transition_pairs(binary, unchained, company_org)}
    log(f"  chain cost: median {result['transition']['slower_pct_median']} %, "
        f"spread {result['transition']['slower_pct_spread']}")
    result["refill"] = seed_chains(unchained)
    log("verify-history over the whole database")
    result["verify"] = verify_history(binary)
    log(f"  {result['verify']}")
    return result


def chain_section(c):
    """The report's section (latest.md)."""
    lines = ["## The history's hash chain (issue 14)", ""]
    if "error" in c:
        return lines + [f"Failed: {c['error']}"]
    s = c.get("seed", {})
    lines += [f"Seeded events given their chains by `dispatch bench-chain-hashes` (bench-only build): "
              f"{s.get('written')} of {s.get('events')} events written in {s.get('seconds')} s.", ""]
    t = c.get("transition")
    if t:
        lines += ["Accept with If-Match, the same release server with the chain and built without it "
                  "(`bench-unchained`: no read of the previous hash, no SHA-256, NULL hashes); fresh pool and "
                  "server per run, order alternating per pair; the cost is computed per pair:", "",
                  "| pair | order | with chain rps (p99 ms) | without rps (p99 ms) | slower % | errors | accepts hashed with / without |",
                  "|---:|---|---:|---:|---:|---:|---|"]
        for i, r in enumerate(t["runs"], 1):
            w, wo = r["with"], r["without"]
            lines.append(f"| {i} | {' → '.join(r['order'])} | {w['rps']:.0f} ({w['p99_ms']}) | {wo['rps']:.0f} ({wo['p99_ms']}) | "
                         f"{r['slower_pct']} | {w['errors'] + wo['errors']} | {w['accepts_hashed']}/{w['accepts']} / "
                         f"{wo['accepts_hashed']}/{wo['accepts']} |")
        spread = t["slower_pct_spread"] or [None, None]
        lines += ["", f"Median **{t['slower_pct_median']} %** slower with the chain (spread {spread[0]}…{spread[1]} %); "
                  f"target {t['target']}: {'met' if t['met'] else '**not met**'}"
                  + ("" if t["instrument_checked"] else " (**the instrument's check failed**: see latest.json)") + ".", ""]
    v = c.get("verify")
    if v:
        lines += [f"`dispatch verify-history` over the whole database: {v['complaints']} complaints, {v['events']} "
                  f"events in **{v['seconds']} s** ({v['complaints_per_second']} complaints/s, {v['events_per_second']} "
                  f"events/s), peak RSS {v['peak_rss_mb']} MB, {v['broken']} broken chains, exit {v['exit_code']}; "
                  f"{v['checkpoint'] or 'no checkpoint line'}.", ""]
    return lines


def company_org(binary):
    server = Server(binary, db_url(DB)).start()
    try:
        return server.login("company")["user"]["organisation"]["id"]
    finally:
        server.stop()


def seed_part(binary):
    """After the seed: the unchained build and the seeded events' chains (None, {error}) on failure."""
    try:
        unchained = build_unchained(binary)
        return unchained, {"seed": seed_chains(unchained)}
    except Exception as e:  # noqa: BLE001 - report, do not lose the other results
        return None, {"error": str(e)}


def measure_part(binary, unchained, part):
    """The pairs and verify-history, added to `part` (the seed part's dict)."""
    if unchained is None:
        return part
    try:
        part.update(run_chain(binary, unchained, company_org(binary)))
    except Exception as e:  # noqa: BLE001
        part["error"] = str(e)
    return part


def only_chain(binary, unchained, part, result):
    """BENCH_ONLY=chain: the chain's part alone, into RESULTS_DIR/chain-only.{json,md}."""
    import json
    from .config import RESULTS_DIR
    result["chain"] = measure_part(binary, unchained, part)
    result["load_avg_at_end"] = os.getloadavg()
    with open(os.path.join(RESULTS_DIR, "chain-only.json"), "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    m = result["machine"]
    head = [f"# The hash chain only (BENCH_ONLY=chain), {result['date']}", "",
            f"{m['nproc']} cores ({m['cpu']}), PostgreSQL {m['postgres']}; load average at start "
            f"{', '.join(f'{x:.1f}' for x in m['load_avg_at_start'])}, at the end "
            f"{', '.join(f'{x:.1f}' for x in result['load_avg_at_end'])}; {result['seed'].get('complaints')} complaints; "
            f"wrk `-t2 -c{result['connections']} -d{result['duration_s']}s`.", ""]
    with open(os.path.join(RESULTS_DIR, "chain-only.md"), "w") as f:
        f.write("\n".join(head + chain_section(result["chain"])) + "\n")
    log(f"chain part written to {RESULTS_DIR}/chain-only.{{json,md}}")

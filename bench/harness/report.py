"""bench/results/latest.{json,md}."""

import json
import os

from .config import RESULTS_DIR


def fmt(v, digits=1):
    return "—" if v is None else (f"{v:.{digits}f}" if isinstance(v, float) else str(v))


def span(pair, digits=1):
    """`min…max`, or — for a row measured once."""
    if not pair or pair[0] is None:
        return "—"
    return f"{fmt(float(pair[0]), digits)}…{fmt(float(pair[1]), digits)}"


def write(result):
    with open(os.path.join(RESULTS_DIR, "latest.json"), "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    m, s = result["machine"], result["seed"]
    lines = [
        "# Benchmark — latest run", "",
        f"{result['date']} · `make bench` · {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, "
        f"Linux {m['kernel']}, PostgreSQL {m['postgres']}, {m['wrk']}; load average at start "
        f"{', '.join(f'{x:.1f}' for x in m['load_avg_at_start'])}. wrk, pgbench, PostgreSQL and the server share "
        "the same 2 cores.", "",
        f"Data: {s.get('complaints')} complaints, {s.get('events', '?')} events, {s.get('buildings', '?')} buildings, "
        f"{s.get('companies', '?')} management companies"
        + (f"; seeded in {s['seconds']} s (plus {s['migrate_and_demo_seconds']} s migrate + demo city), "
           f"database {s['database_size']}." if 'seconds' in s else " (reused)."), "",
        (f"Each scenario: wrk `-t2 -c{result['connections']} -d{result['duration_s']}s` (unless the row says otherwise) against the release binary "
         f"(pool {result['pool']}, worker off, RUST_LOG=warn), **{result['runs']} runs** taking turns "
         "(run 1 of every scenario, then run 2, …); the figures are medians, `min…max` the spread over the runs, "
         "errors the sum. pgbench "
         f"`-M prepared -c{result['pool']} -j2` (as many connections as the API's pool) replays the SQL captured from the "
         "PostgreSQL log for the same request, with time-ordered ids as the API's, right before the API's run of "
         "the same turn; the ratio is taken per run (API run i / pgbench run i). Every sample: `latest.json`."
         if "pool" in result else
         f"Each scenario (one run, before issue 18's method): wrk `-t2 -c{result['connections']} -d{result['duration_s']}s` "
         "against the release binary (pool 16); pgbench `-M prepared -c32 -j2` on the captured SQL with random ids."), "",
        "| scenario | rps | rps min…max | p50 ms | p99 ms | p99 min…max | errors | pgbench tps | ratio | ratio min…max | target | met? |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in result["scenarios"]:
        lines.append(f"| {r['name']} | {r['rps']:.0f} | {span(r.get('rps_spread'), 0)} | {fmt(r['p50_ms'], 2)} | "
                     f"{fmt(r['p99_ms'], 2)} | {span(r.get('p99_spread'), 2)} | {r['errors']} | "
                     f"{fmt(r.get('pgbench_tps'), 0)} | {fmt(r.get('ratio'), 2)} | {span(r.get('ratio_spread'), 2)} | "
                     f"{r.get('target') or 'no errors'} | {'yes' if r.get('met') else '**no**'} |")
    t = result["targets"]
    sc = result["scorecard_cold"]
    lines += [
        f"| RSS under load (max VmRSS sampled every 0.2 s, scenarios above except the scorecard) | | | | | | | | | | "
        f"≤ 150 MB: {t['rss_under_load_le_150mb']['value']} MB | {'yes' if t['rss_under_load_le_150mb']['met'] else '**no**'} |",
        f"| start to /ready 200 ({s.get('complaints')} complaints, median of 3: {result['start_to_ready_ms']['samples']} ms) | | | | | | | | | | "
        f"≤ 1000 ms: {t['start_to_ready_le_1000ms']['value']:.0f} ms | {'yes' if t['start_to_ready_le_1000ms']['met'] else '**no**'} |",
        f"| scorecard, first (uncached) request: HTTP {sc['status']} | | | {sc['seconds'] * 1000:.0f} | | | {0 if sc['status'] == 200 else 1} | | | | "
        f"peak RSS ≤ 150 MB: VmHWM {sc['vmhwm_mb']} MB | {'yes' if t['scorecard_peak_rss_mb']['met'] else '**no**'} |",
        "",
    ]
    if "median_ms" in sc:
        lines += [
            f"Scorecard cold read (first request of a fresh server, {len(sc['samples_ms'])} runs): median "
            f"{sc['median_ms']} ms, spread {sc['spread_ms'][0]}–{sc['spread_ms'][1]} ms (samples {sc['samples_ms']}); "
            f"target {sc['target']}: {'met' if sc['met'] else '**not met**'}.", "",
        ]
    tc = result.get("transition_counters")
    if tc:
        lines += [
            "Transitions with and without the scorecard's counters (triggers dropped for the run without "
            "them, then recreated, the counters rebuilt and their tables vacuumed; order alternating per "
            "pair; a checkpoint before each run). Every accepted complaint has the answer and fix clocks "
            "filing starts, and an accept meets the answer clock; each run's pool is vacuumed before it. "
            "The cost is computed per pair, as the host's CPU per accept (every process: wrk, the server, "
            "PostgreSQL; from /proc/stat, without the hypervisor's steal) and as requests per second. A run "
            "that lost more than 5 % of the host's CPU to steal is taken again (at most twice):", "",
            "| pair | order | with counters rps | without rps | slower % | with CPU ms/accept | without | "
            "more CPU % | steal ms (with, without) |", "|---:|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for i, r in enumerate(tc["runs"], 1):
            steal = r.get("steal_ms")
            lines.append(f"| {i} | {r.get('order', 'with → without')} | {r['with_rps']:.0f} | "
                         f"{r['without_rps']:.0f} | {fmt(r['slower_pct'])} | {fmt(r.get('with_cpu_ms'), 3)} | "
                         f"{fmt(r.get('without_cpu_ms'), 3)} | {fmt(r.get('cpu_pct'))} | "
                         f"{', '.join(map(str, steal)) if steal else '—'} |")
        spread = tc["slower_pct_spread"] or [None, None]
        cpu_spread = tc.get("cpu_pct_spread") or [None, None]
        lines += ["", f"CPU per accept: median {fmt(tc.get('cpu_pct_median'))} % more with the counters "
                  f"(spread {fmt(cpu_spread[0])}…{fmt(cpu_spread[1])} %); requests per second: median "
                  f"{fmt(tc['slower_pct_median'])} % slower (spread {fmt(spread[0])}…{fmt(spread[1])} %). "
                  f"Target {tc['target']}: {'met' if tc['met'] else '**not met**'}.", ""]
    if "sqlite" in result:
        q = result["sqlite"]
        if "error" in q:
            lines.append(f"SQLite: failed: {q['error']}")
        else:
            lines.append(f"SQLite ({q['complaints']} complaints, seeded in {q['seconds']} s): company queue "
                         f"{q['queue']['rps']:.0f} rps, p50 {fmt(q['queue']['p50_ms'], 2)} ms, p99 {fmt(q['queue']['p99_ms'], 2)} ms, "
                         f"errors {q['queue']['non_2xx'] + q['queue']['socket_errors']} (5 s).")
    if "sms" in result:
        lines += [""] + sms_section(result["sms"], result)
    if "open311" in result:
        lines += [""] + open311_section(result["open311"], result)
    if "webhooks" in result:
        lines += [""] + webhooks_section(result["webhooks"], result)
    if "live_boards" in result:
        lines += [""] + live_boards_section(result["live_boards"])
    if "chain" in result:
        from .chain import chain_section  # issue 14
        lines += [""] + chain_section(result["chain"])
    lines += ["", f"Whole run: {result['total_seconds']:.0f} s. Raw numbers: `latest.json`; the pgbench scripts: "
              "`create.pgbench.sql`, `queue.pgbench.sql`; the captured statements: `captured-*.log`. "
              "Analysis: `FINDINGS.md`.", ""]
    with open(os.path.join(RESULTS_DIR, "latest.md"), "w") as f:
        f.write("\n".join(lines))


def sms_section(q, result):
    """Issue 13: the SMS drain and the read throughput beside it."""
    lines = ["## SMS: receipt SMS drained through the SMSC simulator", ""]
    if "error" in q:
        return lines + [f"Failed: {q['error']}"]
    f, b, d, s = q["filing"], q["baseline"], q["during"], q["smsc"]
    diff = q.get("rps_change_pct")
    flag = "" if q.get("within_10pct") else " — **more than 10 % below the run without delivery**"
    spread = (q["after"]["rps"] - b["rps"]) / b["rps"] * 100 if b["rps"] and q.get("after") else None
    noise = ("" if spread is None or abs(spread) <= 10 else
             f" The two runs without delivery (before and after the drain) differ by {spread:.1f} % themselves: on "
             "this machine, shared with other work, the comparison cannot resolve 10 %; read the figure with that spread.")
    lines += [
        f"{q['messages']} receipts queued through the real path: a clerk's filings for people without an account "
        f"({f['per_second']:.0f} filings/s, {f['errors']} errors; each filing writes its receipt into `deliveries` "
        f"in its own transaction) on a server without a gateway; then parked, the server restarted with "
        f"APP_SMPP_* pointing at `tests/sinks/smsc.py` (senders every {q['delivery_interval_ms']} ms, SMS caps "
        f"raised), and released with one UPDATE (as 09:00 releases the night's SMS).", "",
        "| | value |", "|---|---:|",
        f"| SMS released | {q['released']} |",
        f"| drain: release → last one at the SMSC | {fmt(q['drain_seconds'], 1)} s |",
        f"| rate | **{fmt(q['sms_per_second'], 0)} SMS/s** |",
        f"| SMS/s while wrk read (first {q['wrk_seconds_from_release']:.0f} s) / after it stopped | "
        f"{q['drained_during_wrk'] / q['wrk_seconds_from_release']:.0f} / "
        + (f"{(q['released'] - q['drained_during_wrk']) / (q['drain_seconds'] - q['wrk_seconds_from_release']):.0f} |"
           if q.get("drain_seconds") and q["drain_seconds"] > q["wrk_seconds_from_release"] + 0.5 else "— |"),
        f"| first at the SMSC after release | {fmt(q['first_at_smsc_s'], 2)} s |",
        f"| at the SMSC (ours) / distinct numbers / distinct texts | {s['received']} / {s['distinct_to']} / {s['distinct_texts']} |",
        f"| duplicates / lost | {q['duplicates']} / {q['lost']} |",
        f"| outbox rows by state | {', '.join(f'{k} {v}' for k, v in sorted(q['deliveries']['states'].items()))} |",
        f"| delivery receipts (one per segment, {s['segments']} segments) stored by the server during the run | {q['receipts_stored']} |",
        f"| distinct gateway ids in the outbox / max attempts | {q['deliveries']['distinct_gateway_ids']} / {q['deliveries']['max_attempts']} |",
        "",
        f"Read throughput in the same run, wrk `{q['wrk']}`:", "",
        "| run | rps | p50 ms | p99 ms | errors | max RSS MB |", "|---|---:|---:|---:|---:|---:|",
        f"| without delivery (SMS parked, senders polling) | {b['rps']:.0f} | {fmt(b['p50_ms'], 2)} | {fmt(b['p99_ms'], 2)} | "
        f"{b['non_2xx'] + b['socket_errors']} | {b['max_rss_mb']} |",
        f"| while the {q['released']} drain | {d.get('rps', 0):.0f} | {fmt(d.get('p50_ms'), 2)} | {fmt(d.get('p99_ms'), 2)} | "
        f"{d.get('non_2xx', 0) + d.get('socket_errors', 0)} | {d.get('max_rss_mb')} |",
        f"| after the drain (informational: the spread of two runs without delivery) | {q['after']['rps']:.0f} | "
        f"{fmt(q['after']['p50_ms'], 2)} | {fmt(q['after']['p99_ms'], 2)} | {q['after']['non_2xx'] + q['after']['socket_errors']} | "
        f"{q['after']['max_rss_mb']} |",
        "",
        f"Change: **{fmt(diff, 1)} %** (target: within 10 %){flag}. "
        + (f"{q['drained_during_wrk']} of the {q['released']} reached the SMSC during the {result['duration_s']} s of wrk"
           + ("." if q.get("drain_covered_wrk") else
              f"; the drain ended {q['wrk_seconds_from_release'] - (q['drain_seconds'] or 0):.1f} s before wrk did, "
              "so part of that wrk run read without delivery.")) + noise,
    ]
    return lines


def partial_note(key, result):
    """A section measured by a BENCH_ONLY run, not with the rest of this file."""
    p = result.get("partial_runs", {}).get(key)
    if not p:
        return []
    m, seed = p["machine"], p["seed"]
    return [f"Measured on its own (`BENCH_ONLY={key}`) on {p['date']}, not in the run above: load average at "
            f"start {', '.join(f'{x:.1f}' for x in m['load_avg_at_start'])}, {seed.get('complaints')} complaints"
            + (" (database reused)" if seed.get("reused") else "") + f", wrk `-t2 -c{p['connections']} -d{p['duration_s']}s`.", ""]


def live_boards_section(q):
    """Issue 16: the live feed, from filing to the complaint on the open boards."""
    lines = ["## Live feed: from filing to the open dispatcher boards", ""]
    if "error" in q:
        return lines + [f"Failed: {q['error']}"]
    lines += [
        f"{q['boards']} boards poll `{q['board_path']}` every {q['poll_interval_s']:.0f} s with If-None-Match "
        f"(as the SPA's `useLiveChanges`), started spread over one interval, while a resident files "
        f"{q['filed']} complaints ({q['failed_filings']} failed) one a second. Polls: {q['polls']}, "
        f"{q['not_modified_share'] * 100:.0f} % answered 304, {q['poll_failures']} failed; sightings missing: "
        f"{q['board_sightings_missing']}.", "",
        "| from the 201 to the complaint on | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|",
    ]
    for key, name in (("first_board_ms", "the first board"), ("every_board_ms", "every board")):
        if key in q:
            v = q[key]
            lines.append(f"| {name} | {v['median']} | {v['p95']} | {v['max']} |")
    return lines


def open311_section(q, result):
    """Issue 12: Open311 requests.json beside the public list."""
    lines = ["## Open311 GeoReport v2: `GET /open311/v2/requests.json` beside the public list", ""]
    lines += partial_note("open311", result)
    if "error" in q:
        return lines + [f"Failed: {q['error']}"]
    lines += [
        f"No token, wrk `{q['wrk']}` per row, one server, rows in this order. Open311 answers the newest "
        "1000 (at most) of the last 90 days (its default range; no page size parameter); the public list 50 "
        "by default, at most 200.", "",
        "| API | query | page rows | page KB | rps | rows/s | p50 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in q["rows"]:
        lines.append(f"| {r['api']} | `{r['path']}` ({r['variant']}) | {fmt(r['page_rows'])} | {r['page_bytes'] / 1024:.0f} | "
                     f"{r['rps']:.0f} | {fmt(r['rows_per_second'])} | {fmt(r['p50_ms'], 2)} | {fmt(r['p99_ms'], 2)} | {r['errors']} |")
    return lines


def webhooks_section(q, result):
    """Issue 12: webhook fan-out to the Standard Webhooks receiver of the tests."""
    lines = ["## Webhooks: fan-out of accepts to 10 verified receivers", ""]
    lines += partial_note("webhooks", result)
    if "error" in q:
        return lines + [f"Failed: {q['error']}"]
    w, wo = q["with"], q["without"]
    diff = q.get("transitions_change_pct")
    flag = "" if q.get("within_10pct") else " — **more than 10 % apart**"
    lines += [
        f"{q['endpoints']} subscriptions of the demo company (`POST /api/v1/webhooks` as the demo admin, event "
        f"`{q['event_types'][0]}`), each at its own receiver of `tests/sinks/webhooks.py` (one process; every "
        f"delivery verified there with the endpoint's secret by the `standardwebhooks` library). "
        f"{q['transitions']} accepts through the API ({q['clients']} keep-alive connections, each complaint once) "
        f"on a server with the worker every {q['worker_interval_s']} s (it turns the outbox into webhook messages, "
        f"100 a tick) and the webhook sender every {q['delivery_interval_ms']} ms.", "",
        "| | value |", "|---|---:|",
        f"| deliveries expected ({q['transitions']} × 1 event × {q['endpoints']}) / received / verified | "
        f"{q['expected_deliveries']} / {q['received']} / {q['verified']} |",
        f"| duplicates / lost / not ours / other event types | {q['duplicates']} / {q['lost']} / {q['foreign']} / {q['wrong_type']} |",
        f"| last transition answered → last delivery received | **{fmt(q['seconds_after_last_transition'], 1)} s** |",
        f"| first transition sent → first delivery received | {fmt(q['first_delivery_after_first_transition_s'], 2)} s |",
        f"| deliveries/s between the first and the last delivery | **{fmt(q['deliveries_per_second'], 0)}** |",
        f"| deliveries/s from the first transition to the last delivery | {fmt(q['deliveries_per_second_from_first_transition'], 0)} |",
        f"| for comparison: the same 1,000 accepts' outbox drained without subscriptions in | {fmt(wo.get('outbox_drained_s'), 1)} s |",
        "",
        "| transitions through the API | seconds | transitions/s | errors |", "|---|---:|---:|---:|",
        f"| without subscriptions | {wo['seconds']} | {wo['per_second']:.0f} | {wo['errors']} |",
        f"| with {q['endpoints']} subscriptions | {w['seconds']} | {w['per_second']:.0f} | {w['errors']} |",
        "",
        f"Change: **{fmt(diff, 1)} %** (flagged beyond 10 %){flag}. The fan-out runs mostly after the "
        "transitions (the worker takes at most 100 outbox messages a tick, and a tick lasts longer than its second), "
        f"so this compares the transitions' own cost "
        "with and without subscribers, not the API's throughput while 10,000 deliveries go out. Before the run the "
        f"outbox rows the earlier scenarios left ({q['prepared']['outbox_marked_delivered']}) were marked delivered "
        f"and {q['prepared']['complaints_marked_overdue']} seeded complaints past their deadline marked overdue, "
        "so that the worker's ticks carry only this part's messages.",
    ]
    return lines

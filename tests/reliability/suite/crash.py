"""kill -9 in the middle of a load, and a PostgreSQL restart under load."""

import os
import signal
import sqlite3
import sys
import threading
import time
import uuid

from .common import report, run_threads, join_all, pg_url, psql, create_database, pg_version, pg_ctl, WORK
from .server import Server, sqlite_url


def check_kill9(binary, backend):
    if backend == "postgres":
        db = create_database("kill")
        url = pg_url(db)
    else:
        db = os.path.join(WORK, "kill.sqlite")
        url = sqlite_url(db)
    server = Server(binary, url, f"kill9-{backend}").start()
    token = server.token("resident")
    building, category = server.city()
    acked = []  # (id, description)
    lock = threading.Lock()
    stop = threading.Event()
    errors = {"count": 0}
    run_id = uuid.uuid4().hex[:8]

    def writer(i):
        for n in range(400):  # bounded in count; the kill ends it sooner
            if stop.is_set():
                return
            desc = f"kill9 {run_id} w{i} n{n}"
            r = server.create(token, building, category, desc, key=f"k9-{run_id}-{i}-{n}", timeout=10)
            if r.status == 201:
                with lock:
                    acked.append((r.json()["complaint"]["id"], desc))
            elif r.status is None:
                errors["count"] += 1
                if stop.is_set() or errors["count"] > 50:
                    return

    threads = run_threads(writer, 16)
    deadline = time.monotonic() + 20
    while len(acked) < 150 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.signal(signal.SIGKILL)  # mid-load: writers are still sending
    server.proc.wait(timeout=10)
    stop.set()
    join_all(threads, 15)
    in_flight_lost = errors["count"]

    server2 = Server(binary, url, f"kill9-{backend}-restart").start()
    missing = 0
    without_event = 0
    for cid, _desc in acked:
        r = server2.req("GET", f"/api/v1/complaints/{cid}", token=token)
        if r.status != 200:
            missing += 1
            continue
        ev = server2.req("GET", f"/api/v1/complaints/{cid}/events", token=token)
        events = ev.json() if ev.status == 200 else None
        if isinstance(events, dict):
            events = events.get("items", events.get("events", []))
        if not events or not any(e.get("kind") == "registered" for e in events):
            without_event += 1
    orphan_sql = ("SELECT (SELECT count(*) FROM complaints c WHERE NOT EXISTS "
                  "(SELECT 1 FROM complaint_events e WHERE e.complaint_id = c.id)), "
                  "(SELECT count(*) FROM complaint_events e WHERE NOT EXISTS "
                  "(SELECT 1 FROM complaints c WHERE c.id = e.complaint_id)), "
                  "(SELECT count(*) FROM complaints)")
    if backend == "postgres":
        no_events, orphans, total = (int(x) for x in psql(db, orphan_sql).split("|"))
    else:
        con = sqlite3.connect(db, timeout=10)
        no_events, orphans, total = con.execute(orphan_sql).fetchone()
        con.close()
    server2.stop()
    ok = (len(acked) >= 50 and missing == 0 and without_event == 0 and no_events == 0 and orphans == 0)
    report(f"kill -9 mid-load ({backend})",
           f"{len(acked)} creates acknowledged before SIGKILL ({in_flight_lost} cut off in flight), "
           f"{len(acked) - missing} found after restart, {without_event} without a registered event; "
           f"{total} rows: {no_events} complaints without events, {orphans} orphan events", ok)


def check_pg_restart(binary):
    if os.environ.get("REL_SKIP_PG_RESTART") == "1":
        print("(PostgreSQL restart check skipped: REL_SKIP_PG_RESTART=1)")
        return
    if not pg_version():
        report("PostgreSQL restart under load", "no /etc/postgresql cluster to restart", False)
        return
    db = create_database("restart")
    server = Server(binary, pg_url(db), "pg-restart").start()
    token = server.token("company")
    resident = server.token("resident")
    building, category = server.city()
    samples = []  # (monotonic start, seconds, status or error)
    lock = threading.Lock()
    stop = threading.Event()

    def loader(i):
        for n in range(5000):
            if stop.is_set():
                return
            t0 = time.monotonic()
            if i % 2:
                r = server.req("GET", "/api/v1/complaints?status=registered,in_progress&limit=20",
                               token=token, timeout=15)
            else:
                r = server.create(resident, building, category, f"restart load {i} {n}",
                                  key=f"rs-{i}-{n}-{uuid.uuid4().hex[:6]}", timeout=15)
            with lock:
                samples.append((t0, r.seconds, r.status or r.error))
            time.sleep(0.02)

    threads = run_threads(loader, 6)
    time.sleep(1.5)
    ready_while_down = []
    down_at = up_at = recovered_at = None
    try:
        down_at = time.monotonic()
        stopped = pg_ctl("stop", "-m", "fast")
        if stopped.returncode != 0:
            raise RuntimeError(f"pg_ctlcluster stop: {stopped.stderr.strip()}")
        stopped_at = time.monotonic()
        # Outage window: bounded to about 4 s.
        while time.monotonic() - stopped_at < 4:
            r = server.req("GET", "/ready", timeout=10)
            ready_while_down.append((r.status or r.error, r.seconds))
            time.sleep(0.25)
    finally:
        started = pg_ctl("start")
        up_at = time.monotonic()
        if started.returncode != 0:
            print(f"(pg_ctlcluster start: {started.stderr.strip()})", file=sys.stderr)
    # Recovery: poll an authenticated query until 200, bounded to 30 s.
    while time.monotonic() - up_at < 30:
        r = server.req("GET", "/api/v1/complaints?status=registered&limit=5", token=token, timeout=5)
        if r.status == 200 and server.req("GET", "/ready", timeout=5).status == 200:
            recovered_at = time.monotonic()
            break
        time.sleep(0.2)
    stop.set()
    join_all(threads, 20)
    server.stop()
    outage = [s for s in samples if down_at <= s[0] < up_at]
    slowest = max((s[1] for s in outage), default=0.0)
    kinds = {}
    for s in outage:
        kinds[str(s[2])] = kinds.get(str(s[2]), 0) + 1
    bad = [s for s in outage if not (s[2] == 503 or isinstance(s[2], str) or (isinstance(s[2], int) and s[2] < 300))]
    ready_statuses = sorted({str(s[0]) for s in ready_while_down})
    ready_slowest = max((s[1] for s in ready_while_down), default=0.0)
    report("PostgreSQL down: no request hangs",
           f"{len(outage)} requests during the outage, slowest {slowest:.2f} s (limit 5 s)",
           bool(outage) and slowest <= 5.0)
    report("PostgreSQL down: failures are 503 or a connection error, never 500",
           f"outcomes {kinds}; {len(bad)} other answer(s)"
           + (f" e.g. HTTP {bad[0][2]} after {bad[0][1]:.2f} s" if bad else ""),
           bool(outage) and not bad)
    report("PostgreSQL down: /ready answers 503",
           f"{len(ready_while_down)} probes answered {ready_statuses}, slowest {ready_slowest:.2f} s",
           bool(ready_while_down) and ready_statuses == ["503"] and ready_slowest <= 5.0)
    rec = (recovered_at - up_at) if recovered_at else None
    report("PostgreSQL back: recovers without restarting the app",
           f"recovered {rec:.2f} s after PostgreSQL started (limit 10 s)" if rec is not None
           else "not recovered within 30 s", rec is not None and rec <= 10.0)

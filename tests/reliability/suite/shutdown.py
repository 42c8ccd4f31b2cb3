"""SIGTERM with requests in flight, and a pool exhausted by a held lock."""

import signal
import subprocess
import threading
import time
import uuid

from .common import report, run_threads, join_all, pg_url, psql, create_database
from .server import Server


def hold_counter_lock(db, seconds):
    """Holds an exclusive lock on `counters` for `seconds` from a separate psql session, so that
    creates block inside their transaction; returns once the lock is really held (≤ 10 s)."""
    holder = subprocess.Popen(
        ["psql", pg_url(db), "-X", "-q", "-c",
         f"BEGIN; LOCK TABLE counters IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep({seconds}); COMMIT;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        held = psql(db, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                        "WHERE c.relname = 'counters' AND l.mode = 'AccessExclusiveLock' AND l.granted")
        if held != "0":
            break
        time.sleep(0.05)
    return holder


def check_sigterm(binary):
    db = create_database("term")
    server = Server(binary, pg_url(db), "sigterm").start()
    resident = server.token("resident")
    company = server.token("company")
    building, category = server.city()
    results = []
    lock = threading.Lock()
    # Hold the complaint-number counter so that creates stay in flight (they wait for the lock).
    holder = hold_counter_lock(db, 2.5)

    def client(i):
        if i < 6:
            r = server.create(resident, building, category, f"sigterm in flight {i}",
                              key=f"st-{uuid.uuid4().hex}", timeout=30)
        else:
            r = server.req("GET", "/api/v1/public/scorecard" if i % 2 else
                           "/api/v1/complaints?status=registered,in_progress&limit=100",
                           token=company, timeout=30)
        with lock:
            results.append((time.monotonic(), r.status or r.error))

    threads = run_threads(client, 10)
    time.sleep(0.7)
    sent_at = time.monotonic()
    server.signal(signal.SIGTERM)
    join_all(threads, 30)
    holder.wait(timeout=30)
    try:
        code = server.proc.wait(timeout=25)
    except subprocess.TimeoutExpired:
        code = "still running after 25 s"
        server.signal(signal.SIGKILL)
    exited_after = time.monotonic() - sent_at
    in_flight = sum(1 for t, _ in results if t >= sent_at)
    answered = [s for _, s in results]
    ok_count = sum(1 for s in answered if isinstance(s, int) and s < 500)
    report("SIGTERM with requests in flight",
           f"{len(answered)}/10 answered ({ok_count} 2xx-4xx: {sorted(set(map(str, answered)))}), "
           f"{in_flight} finished after the signal, exit code {code} after {exited_after:.2f} s",
           len(answered) == 10 and ok_count == 10 and in_flight >= 6 and code == 0)


def check_pool_exhaustion(binary):
    db = create_database("pool")
    server = Server(binary, pg_url(db), "pool", APP_DB_MAX_CONNECTIONS=2).start()
    resident = server.token("resident")
    company = server.token("company")
    building, category = server.city()
    results = []
    lock = threading.Lock()
    holder = hold_counter_lock(db, 4)

    def client(i):
        t0 = time.monotonic()
        if i < 4:
            r = server.create(resident, building, category, f"pool {i}", key=f"p-{uuid.uuid4().hex}", timeout=15)
        elif i % 3 == 0:
            r = server.req("GET", "/api/v1/complaints?status=registered&limit=20", token=company, timeout=15)
        elif i % 3 == 1:
            r = server.req("GET", "/api/v1/buildings?q=%D0%B4&limit=50", timeout=15)
        else:
            r = server.req("GET", "/ready", timeout=15)
        with lock:
            results.append((time.monotonic() - t0, r.status or r.error))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(48)]
    for i, t in enumerate(threads):
        t.start()
        if i == 3:
            time.sleep(0.3)  # the creates take the two connections first
    join_all(threads, 30)
    holder.wait(timeout=30)
    slowest = max((s for s, _ in results), default=99)
    statuses = {}
    for _, st in results:
        statuses[str(st)] = statuses.get(str(st), 0) + 1
    good = all(isinstance(st, int) and (200 <= st < 300 or st == 503) for _, st in results)
    report("pool of 2 under 48 concurrent requests",
           f"{len(results)}/48 answered, outcomes {statuses}, slowest {slowest:.2f} s (limit 6 s)",
           len(results) == 48 and good and slowest <= 6.0)
    after = [server.req("GET", "/api/v1/complaints?status=registered&limit=20", token=company, timeout=10)
             for _ in range(5)]
    created = server.create(resident, building, category, "pool after", key=f"pa-{uuid.uuid4().hex}")
    ready = server.req("GET", "/ready", timeout=5)
    ok = all(r.status == 200 for r in after) and created.status == 201 and ready.status == 200
    report("pool of 2 afterwards (no deadlock)",
           f"5 lists {[r.status for r in after]}, create {created.status}, /ready {ready.status}, "
           f"slowest {max(r.seconds for r in after + [created, ready]):.2f} s", ok)
    server.stop()

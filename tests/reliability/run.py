#!/usr/bin/env python3
"""Reliability suite: drives the real `dispatch` binary over 127.0.0.1 and checks what must
survive crashes, outages, shutdowns, pool exhaustion, races and hostile clients.

Usage: run.py <path to dispatch binary>

Environment:
  REL_PG_ADMIN_URL   PostgreSQL where the suite may CREATE DATABASE
                     (default postgres://postgres@127.0.0.1:5432/postgres)
  REL_SKIP_PG_RESTART=1  skip the check that stops and starts the PostgreSQL cluster
  REL_FUZZ=1         also run tests/schemathesis/run.sh (several minutes; normally `make fuzz-api`)

Every check prints one line `<what>: <measured figure> — PASS|FAIL`; the last line is
`N passed, M failed`, and the exit code is non-zero on any failure. Only stdlib Python, `psql`
and `pg_ctlcluster` are used. Every loop is bounded in count and in time.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import string
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
PG_ADMIN_URL = os.environ.get("REL_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
STARTED = time.monotonic()
SUITE_DEADLINE = STARTED + 9.5 * 60  # hard bound for the whole run
JWT_SECRET = "rel-" + uuid.uuid4().hex + uuid.uuid4().hex  # known to the suite, ≥ 32 chars
PASSWORD = "demo2026"

RESULTS = {"passed": 0, "failed": 0}
WORK = tempfile.mkdtemp(prefix="dispatch-rel-")
SERVERS = []  # every server started, so that a crash of the suite still stops them
DATABASES = []  # PostgreSQL databases to drop at the end


def report(what, figure, ok):
    RESULTS["passed" if ok else "failed"] += 1
    print(f"{what}: {figure} — {'PASS' if ok else 'FAIL'}", flush=True)


def time_left():
    return SUITE_DEADLINE - time.monotonic()


# ---------------------------------------------------------------------------------------------
# PostgreSQL helpers


def pg_url(db):
    parsed = urllib.parse.urlparse(PG_ADMIN_URL)
    return urllib.parse.urlunparse(parsed._replace(path="/" + db))


def psql(db, sql, timeout=30):
    out = subprocess.run(
        ["psql", pg_url(db), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True, text=True, timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def create_database(tag):
    name = f"rel_{tag}_{uuid.uuid4().hex[:10]}"
    psql(urllib.parse.urlparse(PG_ADMIN_URL).path.lstrip("/") or "postgres", f"CREATE DATABASE {name}")
    DATABASES.append(name)
    return name


def drop_databases():
    admin_db = urllib.parse.urlparse(PG_ADMIN_URL).path.lstrip("/") or "postgres"
    for name in DATABASES:
        try:
            psql(admin_db, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except Exception as e:  # noqa: BLE001 - best effort cleanup
            print(f"(could not drop {name}: {e})", file=sys.stderr)


def pg_version():
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    return versions[-1] if versions else None


def pg_ctl(action, *extra):
    return subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", action, *extra],
        capture_output=True, text=True, timeout=60,
    )


def pg_is_up():
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-t", "2"],
                          capture_output=True).returncode == 0


# ---------------------------------------------------------------------------------------------
# HTTP helpers (one connection per request, explicit timeouts)


class Resp:
    def __init__(self, status=None, headers=None, body=b"", error=None, seconds=0.0):
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.error = error
        self.seconds = seconds

    def json(self):
        try:
            return json.loads(self.body.decode() or "null")
        except ValueError:
            return None

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"Resp({self.status or self.error}, {self.seconds:.2f}s)"


def request(port, method, path, body=None, token=None, headers=None, timeout=10.0, raw=None):
    hdrs = {"Connection": "close"}
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
    if data is not None:
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        try:
            conn.request(method, path, body=data, headers=hdrs)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer (e.g. 413) before reading a large body
        resp = conn.getresponse()
        payload = resp.read()
        return Resp(resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload,
                    seconds=time.monotonic() - started)
    except (OSError, http.client.HTTPException) as e:
        return Resp(error=type(e).__name__, seconds=time.monotonic() - started)
    finally:
        conn.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """The real binary on a free port with its own log."""

    def __init__(self, binary, database_url, name, **env):
        self.binary = binary
        self.database_url = database_url
        self.name = name
        self.env = env
        self.port = free_port()
        self.proc = None
        self.log_path = os.path.join(WORK, f"{name}.log")

    def start(self, wait=True, timeout=60):
        env = dict(os.environ)
        env.update({
            "APP_DEMO": "true",
            "APP_JWT_SECRET": JWT_SECRET,
            "APP_BIND": f"127.0.0.1:{self.port}",
            "DATABASE_URL": self.database_url,
            "APP_WORKER_INTERVAL_SECONDS": "0",
            "APP_DAILY_COMPLAINT_LIMIT": "100000000",
            "APP_LOG_FORMAT": "json",
            "RUST_LOG": "warn",
            "APP_WEB_DIR": os.path.join(WORK, "no-web"),
        })
        env.update({k: str(v) for k, v in self.env.items()})
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "serve"], env=env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        SERVERS.append(self)
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            r = request(self.port, "GET", "/ready", timeout=2)
            if r.status == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready within {timeout}s; see {self.log_path}")

    def signal(self, sig):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=25)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    # API conveniences -----------------------------------------------------------------------

    def req(self, method, path, **kw):
        return request(self.port, method, path, **kw)

    def login(self, who):
        r = self.req("POST", "/api/v1/auth/login", body={"login": f"{who}@demo.test", "password": PASSWORD})
        if r.status != 200:
            raise RuntimeError(f"login {who}: {r.status} {r.error} {r.body[:200]!r}")
        return r.json()

    def token(self, who):
        return self.login(who)["access_token"]

    def city(self, company_org=None):
        """A building (managed by `company_org` when given) and a non-emergency category."""
        buildings = self.req("GET", "/api/v1/buildings?limit=50").json()
        if company_org:
            buildings = [b for b in buildings if b.get("company_id") == company_org]
        categories = self.req("GET", "/api/v1/categories").json()
        return buildings[0]["id"], categories[-1]["id"]

    def create(self, token, building, category, description, key=None, timeout=10.0):
        headers = {"Idempotency-Key": key} if key else None
        return self.req("POST", "/api/v1/complaints", token=token, headers=headers, timeout=timeout,
                        body={"building_id": building, "category_id": category, "description": description})


def sqlite_url(path):
    return f"sqlite://{path}?mode=rwc"


# ---------------------------------------------------------------------------------------------
# Checks


def run_threads(target, count, *args):
    threads = [threading.Thread(target=target, args=(i, *args), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    return threads


def join_all(threads, timeout):
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    return sum(t.is_alive() for t in threads)


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


def check_races(binary):
    db = create_database("race")
    server = Server(binary, pg_url(db), "races").start()
    resident = server.token("resident")
    resident2 = server.token("resident2")
    company_login = server.login("company")
    company = company_login["access_token"]
    org = (company_login["user"].get("organisation") or {}).get("id")
    building, category = server.city(org)

    # 1. 50 parallel POSTs with one Idempotency-Key.
    key = f"same-{uuid.uuid4().hex}"
    marker = f"idem race {uuid.uuid4().hex}"
    barrier = threading.Barrier(50, timeout=20)
    replies = []
    lock = threading.Lock()

    def same_key(i):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        r = server.create(resident, building, category, marker, key=key, timeout=20)
        with lock:
            replies.append(r)

    join_all(run_threads(same_key, 50), 40)
    rows = int(psql(db, f"SELECT count(*) FROM complaints WHERE description = '{marker}'"))
    ids = {(r.json() or {}).get("complaint", {}).get("id") for r in replies if r.status == 201}
    statuses = sorted({str(r.status or r.error) for r in replies})
    report("50 parallel POSTs with one Idempotency-Key",
           f"{rows} complaint row(s), {len(replies)} answers {statuses}, {len(ids)} distinct id(s)",
           rows == 1 and len(replies) == 50 and statuses == ["201"] and len(ids) == 1)

    # 2. Two concurrent accepts on the same version, 10 times.
    pairs = []
    for n in range(10):
        c = server.create(resident, building, category, f"accept race {n}", key=f"ar-{uuid.uuid4().hex}")
        if c.status != 201:
            pairs.append(("create", c.status))
            continue
        cid = c.json()["complaint"]["id"]
        version = c.header("etag")
        bar = threading.Barrier(2, timeout=10)
        out = []

        def accept(_i):
            try:
                bar.wait()
            except threading.BrokenBarrierError:
                pass
            r = server.req("POST", f"/api/v1/complaints/{cid}/transitions", token=company,
                           headers={"If-Match": version}, body={"type": "accept"}, timeout=15)
            out.append(r.status or r.error)

        join_all(run_threads(accept, 2), 20)
        pairs.append(tuple(sorted(map(str, out))))
    good_pairs = sum(1 for p in pairs if p == ("200", "412"))
    report("two concurrent accepts on one version (×10)",
           f"{good_pairs}/10 pairs answered exactly one 200 and one 412; pairs seen {sorted(set(pairs))}",
           good_pairs == 10)

    # 3. 20 clients × 500 mixed operations.
    run_id = uuid.uuid4().hex[:8]
    acked = {}  # key -> (complaint id, description)
    replay_mismatch = []
    outcomes = {}
    server_errors = []
    stop_at = time.monotonic() + min(240, max(30, time_left() - 150))
    done_ops = [0]

    def mixed(i):
        rng = random.Random(i)
        token = resident if i % 2 else resident2
        mine = []
        for n in range(500):
            if time.monotonic() > stop_at:
                return
            op = rng.random()
            if op < 0.4:
                k = f"mix-{run_id}-{i}-{n}"
                desc = f"mixed {run_id} c{i} op{n}"
                r = server.create(token, building, category, desc, key=k, timeout=20)
                if r.status == 201:
                    cid = r.json()["complaint"]["id"]
                    with lock:
                        acked[k] = (cid, desc)
                    mine.append((cid, r.header("etag")))
                    if rng.random() < 0.1:  # a client retry of the same request
                        again = server.create(token, building, category, desc, key=k, timeout=20)
                        if again.status != 201 or again.json()["complaint"]["id"] != cid:
                            replay_mismatch.append((k, again.status))
            elif op < 0.6 and mine:
                cid, version = mine[rng.randrange(len(mine))]
                r = server.req("POST", f"/api/v1/complaints/{cid}/transitions", token=company,
                               headers={"If-Match": version}, body={"type": "accept"}, timeout=20)
            elif op < 0.8:
                r = server.req("GET", "/api/v1/complaints?status=registered,in_progress&sort=newest&limit=20",
                               token=company, timeout=20)
            elif mine:
                r = server.req("GET", f"/api/v1/complaints/{mine[-1][0]}", token=token, timeout=20)
            else:
                r = server.req("GET", "/api/v1/complaints?limit=20", token=token, timeout=20)
            with lock:
                done_ops[0] += 1
                key_ = str(r.status or r.error)
                outcomes[key_] = outcomes.get(key_, 0) + 1
                if r.status is None or r.status >= 500:
                    server_errors.append((r.status or r.error, r.body[:200]))

    t0 = time.monotonic()
    join_all(run_threads(mixed, 20), max(40, stop_at - time.monotonic() + 60))
    elapsed = time.monotonic() - t0
    counts = dict(
        line.split("|") for line in psql(
            db, f"SELECT description, count(*) FROM complaints WHERE description LIKE 'mixed {run_id} %' "
                "GROUP BY description").splitlines() if line)
    not_once = [d for _, d in acked.values() if counts.get(d) != "1"]
    dup = sum(1 for v in counts.values() if v != "1")
    report("20 clients × 500 mixed operations",
           f"{done_ops[0]} operations in {elapsed:.1f} s, outcomes {dict(sorted(outcomes.items()))}; "
           f"{len(acked)} acknowledged creates, {len(acked) - len(not_once)} present exactly once, "
           f"{dup} duplicated descriptions, {len(replay_mismatch)} bad replays, {len(server_errors)} 5xx/errors",
           acked and not not_once and dup == 0 and not replay_mismatch and not server_errors)
    server.stop()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(header, claims, key):
    signing = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    sig = hmac.new(key.encode(), signing.encode(), hashlib.sha256).digest() if key else b""
    return f"{signing}.{b64(sig)}"


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def check_security(binary):
    db = os.path.join(WORK, "security.sqlite")
    server = Server(binary, sqlite_url(db), "security").start()
    login = server.login("dispatcher")
    token = login["access_token"]
    claims = jwt_claims(token)
    now = int(time.time())
    fresh = dict(claims, iat=now, exp=now + 600, jti=str(uuid.uuid4()))
    hs = {"alg": "HS256", "typ": "JWT"}
    path = "/api/v1/complaints?limit=1"
    control = server.req("GET", path, token=jwt(hs, fresh, JWT_SECRET))
    report("JWT crafted with the server's key (control)", f"HTTP {control.status}", control.status == 200)
    good = jwt(hs, fresh, JWT_SECRET)
    h, p, s = good.split(".")
    tampered_claims = dict(fresh, role="admin")
    attacks = [
        ("alg none", jwt({"alg": "none", "typ": "JWT"}, fresh, None)),
        ("HS256 with another key", jwt(hs, fresh, "another-secret-" + uuid.uuid4().hex)),
        ("tampered payload (role admin, old signature)", f"{h}.{b64(json.dumps(tampered_claims).encode())}.{s}"),
        ("expired 10 s ago", jwt(hs, dict(fresh, iat=now - 900, exp=now - 10), JWT_SECRET)),
        ("wrong aud", jwt(hs, dict(fresh, aud="someone-else"), JWT_SECRET)),
        ("wrong iss", jwt(hs, dict(fresh, iss="evil"), JWT_SECRET)),
        ("refresh token as bearer", login["refresh_token"]),
    ]
    for name, forged in attacks:
        r = server.req("GET", path, token=forged)
        report(f"JWT attack: {name}", f"HTTP {r.status}", r.status == 401)

    # Login brute force on one account.
    statuses = []
    last = None
    for n in range(7):
        last = server.req("POST", "/api/v1/auth/login", body={"login": "inspector@demo.test", "password": f"wrong{n}"})
        statuses.append(last.status)
    right = server.req("POST", "/api/v1/auth/login", body={"login": "inspector@demo.test", "password": PASSWORD})
    retry_after = last.header("retry-after")
    report("login brute force",
           f"7 wrong passwords → {statuses}, Retry-After {retry_after!r}, then the right one → {right.status}",
           statuses[:5] == [401] * 5 and statuses[5:] == [429, 429] and retry_after is not None
           and retry_after.isdigit() and int(retry_after) > 0 and right.status == 429)

    # A spoofed X-Forwarded-For per attempt must not reset the per-account limit.
    spoofed = []
    for n in range(7):
        ip = f"203.0.113.{n + 1}"
        r = server.req("POST", "/api/v1/auth/login", body={"login": "clerk@demo.test", "password": f"bad{n}"},
                       headers={"X-Forwarded-For": ip, "X-Real-IP": ip, "Forwarded": f"for={ip}"})
        spoofed.append(r.status)
    report("login limit with a new X-Forwarded-For each attempt",
           f"7 attempts from 7 spoofed addresses → {spoofed}", spoofed[5:] == [429, 429])

    big = b'{"login":"' + b"a" * (1024 * 1024) + b'","password":"x"}'
    r1 = server.req("POST", "/api/v1/auth/login", raw=big)
    resident = server.token("resident")
    big2 = b'{"building_id":"00000000-0000-0000-0000-000000000000","category_id":"00000000-0000-0000-0000-000000000000","description":"' \
        + b"x" * (1024 * 1024) + b'"}'
    r2 = server.req("POST", "/api/v1/complaints", raw=big2, token=resident)
    report("1 MB JSON body", f"login → {r1.status or r1.error}, create complaint → {r2.status or r2.error}",
           r1.status == 413 and r2.status == 413)

    wanted = {"x-content-type-options": "nosniff", "x-frame-options": "DENY",
              "content-security-policy": None, "referrer-policy": None}
    seen = []
    missing = []
    for p in ("/health", "/api/v1/categories", "/api/v1/complaints", "/no-such-page"):
        r = server.req("GET", p)
        for name, value in wanted.items():
            got = r.header(name)
            if got is None or (value and got != value):
                missing.append(f"{p} {name}={got!r}")
        seen.append(f"{p} {r.status}")
    report("security headers", f"checked {len(seen)} responses ({', '.join(seen)}), missing/wrong: {missing or 'none'}",
           not missing)
    server.stop()


def check_fuzz():
    run = subprocess.run([os.path.join(REPO, "tests", "schemathesis", "run.sh"), BINARY],
                         capture_output=True, text=True, timeout=max(60, time_left() - 30))
    tail = [line for line in run.stdout.splitlines() if line.startswith("schemathesis:")]
    report("schemathesis (all roles)", tail[-1] if tail else f"exit {run.returncode}", run.returncode == 0)


# ---------------------------------------------------------------------------------------------


def main():
    global BINARY
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    source = os.path.abspath(sys.argv[1])
    if not os.access(source, os.X_OK):
        print(f"not an executable: {source}")
        return 2
    # Run a private copy: a concurrent `cargo build` in a shared target folder replaces the file.
    BINARY = os.path.join(WORK, "dispatch")
    shutil.copy2(source, BINARY)
    admin_db = urllib.parse.urlparse(PG_ADMIN_URL).path.lstrip("/") or "postgres"
    try:
        psql(admin_db, "SELECT 1")
    except Exception as e:  # noqa: BLE001
        print(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {e}")
        return 2
    checks = [
        ("security", lambda: check_security(BINARY)),
        ("kill -9 (postgres)", lambda: check_kill9(BINARY, "postgres")),
        ("kill -9 (sqlite)", lambda: check_kill9(BINARY, "sqlite")),
        ("SIGTERM", lambda: check_sigterm(BINARY)),
        ("pool exhaustion", lambda: check_pool_exhaustion(BINARY)),
        ("races", lambda: check_races(BINARY)),
        ("PostgreSQL restart", lambda: check_pg_restart(BINARY)),
    ]
    if os.environ.get("REL_FUZZ") == "1":
        checks.append(("schemathesis", check_fuzz))
    try:
        for name, check in checks:
            if time_left() < 20:
                report(name, "not run: the suite's 9.5-minute budget ran out", False)
                continue
            try:
                check()
            except Exception as e:  # noqa: BLE001 - a crashed check is a failed check
                traceback.print_exc(limit=3, file=sys.stderr)
                report(name, f"crashed: {type(e).__name__}: {e}", False)
            finally:
                for s in SERVERS:
                    try:
                        if s.proc and s.proc.poll() is None:
                            os.kill(s.proc.pid, signal.SIGKILL)
                            s.proc.wait(timeout=10)
                    except Exception:  # noqa: BLE001
                        pass
                SERVERS.clear()
    finally:
        if pg_version() and not pg_is_up():
            pg_ctl("start")
        drop_databases()
    print(f"(took {time.monotonic() - STARTED:.0f} s; server logs in {WORK})")
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


BINARY = None

if __name__ == "__main__":
    sys.exit(main())

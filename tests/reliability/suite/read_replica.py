"""Issue 18: a real PostgreSQL streaming replica behind `DATABASE_READ_URL`.

The suite makes a primary and a replica cluster of its own with Debian's cluster tools (leaving
the main cluster alone): `pg_createcluster`, trust `pg_hba.conf`, `pg_basebackup -R -X stream`.
The binary writes to the primary and sends the public reads to the replica; the replica is then
stopped under a read and write load: the reads fall back to the primary and none fails."""

import os
import subprocess
import threading
import time
import uuid

from .common import report, pg_version
from .server import Server, free_port

HBA = """local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
"""


def run(*cmd, timeout=120):
    out = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {out.stderr.strip() or out.stdout.strip()}")
    return out.stdout.strip()


def sql(port, statement, db="postgres"):
    return run("psql", "-w", "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
               "-d", db, "-c", statement, timeout=30)


class Cluster:
    def __init__(self, version, name, port):
        self.version, self.name, self.port = version, name, port
        self.created = False

    @property
    def data(self):
        return f"/var/lib/postgresql/{self.version}/{self.name}"

    def create(self):
        # Throwaway clusters: initdb need not wait for every file to reach the disk.
        run("pg_createcluster", self.version, self.name, "-p", str(self.port), "--", "--no-sync")
        self.created = True
        with open(f"/etc/postgresql/{self.version}/{self.name}/pg_hba.conf", "w") as f:
            f.write(HBA)

    def ctl(self, action, *extra):
        return run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action, *extra)

    def drop(self):
        if self.created:
            subprocess.run(["pg_dropcluster", "--stop", self.version, self.name], capture_output=True,
                           timeout=60, stdin=subprocess.DEVNULL)


def check_read_replica(binary):
    version = pg_version()
    if os.geteuid() != 0 or not version:
        report("read replica", "needs root and Debian's PostgreSQL cluster tools (pg_createcluster)", False)
        return
    tag = uuid.uuid4().hex[:6]
    primary = Cluster(version, f"rel_primary_{tag}", free_port())
    replica = Cluster(version, f"rel_replica_{tag}", free_port())
    began = time.monotonic()
    try:
        primary.create()
        primary.ctl("start")
        sql(primary.port, "CREATE DATABASE dispatch")
        replica.create()
        run("sh", "-c", f"rm -rf {replica.data}/*")
        run("su", "postgres", "-c", f"pg_basebackup -w -h 127.0.0.1 -p {primary.port} -U postgres "
                                    f"-D {replica.data} -R -X stream --no-sync --checkpoint=fast")
        with open(f"/etc/postgresql/{version}/{replica.name}/pg_hba.conf", "w") as f:
            f.write(HBA)
        replica.ctl("start")
        print(f"(two clusters made in {time.monotonic() - began:.0f} s)", flush=True)
        in_recovery = sql(replica.port, "SELECT pg_is_in_recovery()")
        _exercise(binary, primary, replica, in_recovery)
    finally:
        replica.drop()
        primary.drop()


def _exercise(binary, primary, replica, in_recovery):
    url = "postgres://postgres@127.0.0.1:{}/dispatch"
    server = Server(binary, url.format(primary.port), "read-replica",
                    DATABASE_READ_URL=url.format(replica.port), APP_READ_MAX_LAG_MS="3000").start()
    resident = server.token("resident")
    building, category = server.city()
    marker = f"replica {uuid.uuid4().hex[:8]}"
    created = server.create(resident, building, category, marker, key=f"rr-{uuid.uuid4().hex}")
    number = (created.json() or {}).get("complaint", {}).get("number")
    # Streaming: the new complaint reaches the replica, and the public list shows it from there.
    seen_after = None
    started = time.monotonic()
    while time.monotonic() - started < 10:
        items = (server.req("GET", "/api/v1/public/complaints?limit=20").json() or {}).get("items", [])
        if any(i.get("number") == number for i in items):
            seen_after = time.monotonic() - started
            break
        time.sleep(0.05)
    connections = int(sql(replica.port, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'dispatch' "
                                        "AND backend_type = 'client backend'"))
    report("public reads on a streaming replica (pg_basebackup, DATABASE_READ_URL)",
           f"replica in recovery: {in_recovery}; a new complaint shows in the public list after "
           f"{'-' if seen_after is None else f'{seen_after:.2f} s'}; the app holds {connections} "
           f"connection(s) to the replica",
           in_recovery == "t" and seen_after is not None and connections > 0)

    # The replica stops under load: reads go to the primary, nothing fails.
    stop = threading.Event()
    results, lock = [], threading.Lock()
    paths = ["/api/v1/public/complaints?limit=20", "/api/v1/public/scorecard", "/open311/v2/requests.json",
             "/open311/v2/services.json"]

    def reader(n):
        i = 0
        while not stop.is_set():
            r = server.req("GET", paths[(n + i) % len(paths)], timeout=10)
            with lock:
                results.append((r.status, r.seconds))
            i += 1

    def writer(_n):
        i = 0
        while not stop.is_set():
            r = server.create(resident, building, category, f"{marker} load {i}", key=f"rw-{uuid.uuid4().hex}")
            with lock:
                results.append((r.status, r.seconds))
            i += 1

    threads = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(6)]
    threads.append(threading.Thread(target=writer, args=(0,), daemon=True))
    for t in threads:
        t.start()
    time.sleep(1.5)
    replica.ctl("stop", "-m", "fast")
    time.sleep(4)
    replica.ctl("start")
    # The replica rests 5 s after failing to answer, then serves the reads again.
    back, restarted = 0, time.monotonic()
    while back == 0 and time.monotonic() - restarted < 20:
        time.sleep(0.5)
        back = int(sql(replica.port, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'dispatch' "
                                     "AND backend_type = 'client backend'"))
    stop.set()
    for t in threads:
        t.join(15)
    failed = [s for s, _ in results if s not in (200, 201)]
    slowest = max((sec for _, sec in results), default=0.0)
    report("the read replica stopped for 4 s under a read and write load",
           f"{len(results)} requests, {len(failed)} failed {sorted(set(map(str, failed)))[:4]}, slowest "
           f"{slowest:.2f} s; after its restart the app reads it again within {time.monotonic() - restarted:.1f} s "
           f"({back} connection(s))",
           len(results) > 50 and not failed and slowest < 3 and back > 0)

    _check_lag_bound(server, replica, resident, building, category)


def _public_numbers(server):
    items = (server.req("GET", "/api/v1/public/complaints?limit=20").json() or {}).get("items", [])
    return {i.get("number") for i in items}


def _check_lag_bound(server, replica, resident, building, category):
    """Replay paused on the replica: it falls behind, and past APP_READ_MAX_LAG_MS (3 s here) the
    public reads bypass it."""
    server.create(resident, building, category, "before the pause", key=f"bp-{uuid.uuid4().hex}")
    time.sleep(0.5)
    sql(replica.port, "SELECT pg_wal_replay_pause()")
    try:
        created = server.create(resident, building, category, "while replay is paused",
                                key=f"lag-{uuid.uuid4().hex}")
        number = (created.json() or {}).get("complaint", {}).get("number")
        hidden_at_first = number not in _public_numbers(server)
        shown_after, started = None, time.monotonic()
        while time.monotonic() - started < 10:
            if number in _public_numbers(server):
                shown_after = time.monotonic() - started
                break
            time.sleep(0.1)
    finally:
        sql(replica.port, "SELECT pg_wal_replay_resume()")
    report("a lagging read replica is bypassed (replay paused, bound 3 s)",
           f"the new complaint read from the paused replica first: {'absent' if hidden_at_first else 'present'}; "
           f"shown (from the primary) after {'-' if shown_after is None else f'{shown_after:.1f} s'}",
           hidden_at_first and shown_after is not None and 2.0 <= shown_after <= 6.0)

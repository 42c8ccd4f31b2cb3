"""What every check shares: the suite's constants and budget, the PASS/FAIL lines, threads,
and PostgreSQL (databases of its own, psql, the cluster)."""

import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid


HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tests/reliability
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

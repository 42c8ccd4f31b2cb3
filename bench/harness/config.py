"""The knobs (BENCH_* variables), the work folder, and the plumbing: psql, a free port, HTTP."""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # bench/
N_COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "1000000"))
DURATION = int(os.environ.get("BENCH_DURATION", "15"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
# Without TLS, for the API and pgbench alike: on one machine it only costs CPU on both ends (12 %
# of PostgreSQL's time per company-queue request, perf, issue 18), and the compose file's
# PostgreSQL serves without it.
ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
DB = os.environ.get("BENCH_DB", "dispatch_bench")
SQLITE_COMPLAINTS = int(os.environ.get("BENCH_SQLITE_COMPLAINTS", "50000"))
PG_LOG_DIR = "/var/log/postgresql"
JWT_SECRET = "bench-" + uuid.uuid4().hex + uuid.uuid4().hex
# A scratch path for runs at a tiny scale, so that they never overwrite results/latest.md.
RESULTS_DIR = os.environ.get("BENCH_RESULTS_DIR") or os.path.join(HERE, "results")
# Each repeated scenario (transitions with and without the scorecard's counters, the scorecard's
# cold read) runs this many times; the report gives the median and the spread.
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WORK = tempfile.mkdtemp(prefix="dispatch-bench-")
TRANSITION_POOL = int(os.environ.get("BENCH_TRANSITION_POOL", "60000"))




def api_pool_size():
    """The API's database pool as the bench's servers run it: APP_DB_MAX_CONNECTIONS from the
    environment (the servers inherit it), else the default in the server's config
    (crates/api/src/config/mod.rs, `None => 16`)."""
    if os.environ.get("APP_DB_MAX_CONNECTIONS"):
        return int(os.environ["APP_DB_MAX_CONNECTIONS"])
    import re
    path = os.path.join(os.path.dirname(HERE), "crates", "api", "src", "config", "mod.rs")
    try:
        with open(path) as f:
            m = re.search(r'get\("APP_DB_MAX_CONNECTIONS"\) \{\s*None => (\d+)', f.read())
        return int(m.group(1)) if m else 16
    except OSError:
        return 16


# pgbench opens as many connections as the API's pool holds (issue 18: not wrk's 32).
POOL = api_pool_size()


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def db_url(name):
    p = urllib.parse.urlparse(ADMIN_URL)
    return urllib.parse.urlunparse(p._replace(path="/" + name))


def psql(sql, db=DB, timeout=1800):
    out = subprocess.run(["psql", db_url(db), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         capture_output=True, text=True, timeout=timeout)
    if out.returncode:
        raise RuntimeError(f"psql: {out.stderr.strip()}")
    return out.stdout.strip()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http(port, method, path, body=None, token=None, headers=None, timeout=600):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()

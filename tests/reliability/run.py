#!/usr/bin/env python3
"""Reliability suite: drives the real `dispatch` binary over 127.0.0.1 and checks what must
survive crashes, outages, shutdowns, pool exhaustion, races and hostile clients.

Usage: run.py <path to dispatch binary>

Environment:
  REL_PG_ADMIN_URL   PostgreSQL where the suite may CREATE DATABASE
                     (default postgres://postgres@127.0.0.1:5432/postgres)
  REL_SKIP_PG_RESTART=1  skip the check that stops and starts the PostgreSQL cluster
  REL_FUZZ=1         also run tests/schemathesis/run.sh (several minutes; normally `make fuzz-api`)
  REL_ONLY=text      run only the checks whose name contains the text (e.g. REL_ONLY=replicas)

Every check prints one line `<what>: <measured figure> — PASS|FAIL`; the last line is
`N passed, M failed`, and the exit code is non-zero on any failure. Only stdlib Python, `psql`
and `pg_ctlcluster` are used. Every loop is bounded in count and in time.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ next to the suite

from suite.common import (  # noqa: E402
    report, time_left, psql, drop_databases, pg_version, pg_ctl, pg_is_up, REPO, PG_ADMIN_URL,
    STARTED, RESULTS, WORK, SERVERS,
)
from suite.crash import check_kill9, check_pg_restart  # noqa: E402
from suite.shutdown import check_sigterm, check_pool_exhaustion  # noqa: E402
from suite.races import check_races  # noqa: E402
from suite.attachments import check_attachment_quota  # noqa: E402
from suite.security import check_security  # noqa: E402
from suite.throttles import check_throttle_race, check_hash_flood  # noqa: E402
from suite.messaging import check_sms_kill9  # noqa: E402
from suite.webhooks import check_webhooks_kill9  # noqa: E402
from suite.replicas import check_replicas  # noqa: E402
from suite.read_replica import check_read_replica  # noqa: E402


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
        ("throttle race", lambda: check_throttle_race(BINARY)),
        ("hash-pool flood", lambda: check_hash_flood(BINARY)),
        ("kill -9 (postgres)", lambda: check_kill9(BINARY, "postgres")),
        ("kill -9 (sqlite)", lambda: check_kill9(BINARY, "sqlite")),
        ("kill -9 while sending SMS", lambda: check_sms_kill9(BINARY)),
        ("kill -9 while sending webhooks", lambda: check_webhooks_kill9(BINARY)),
        ("SIGTERM", lambda: check_sigterm(BINARY)),
        ("pool exhaustion", lambda: check_pool_exhaustion(BINARY)),
        ("races", lambda: check_races(BINARY)),
        ("replicas behind nginx", lambda: check_replicas(BINARY)),
        ("read replica", lambda: check_read_replica(BINARY)),
        ("attachment quota", lambda: check_attachment_quota(BINARY)),
        ("PostgreSQL restart", lambda: check_pg_restart(BINARY)),
    ]
    if os.environ.get("REL_FUZZ") == "1":
        checks.append(("schemathesis", check_fuzz))
    only = os.environ.get("REL_ONLY")
    if only:
        checks = [(name, check) for name, check in checks if only in name]
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

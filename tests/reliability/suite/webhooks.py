"""kill -9 while webhooks go out: nothing is lost, every delivery verifies with the Standard
Webhooks reference library, and what is sent twice (with the same webhook-id, which receivers
drop) is bounded by what was in flight at the kill."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

from .common import report, psql, create_database, pg_url, REPO, WORK
from .server import Server, free_port

MESSAGES = 2000
IN_FLIGHT = 64  # crates/api/src/webhooks/send.rs: attempts in flight at once


def _start_receiver(directory, port):
    venv = subprocess.run([os.path.join(REPO, "tests", "sinks", "venv.sh")], check=True,
                          capture_output=True, text=True).stdout.strip()
    log = open(os.path.join(directory, "receiver.log"), "ab")
    proc = subprocess.Popen([os.path.join(venv, "bin", "python"),
                             os.path.join(REPO, "tests", "sinks", "webhooks.py"), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the webhook receiver did not start")


def _control(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        payload = resp.read()
        return json.loads(payload) if payload else None


def check_webhooks_kill9(binary):
    directory = os.path.join(WORK, "webhooks")
    os.makedirs(directory, exist_ok=True)
    port = free_port()
    receiver = _start_receiver(directory, port)
    db = create_database("webhooks")
    url = pg_url(db)
    env = {"APP_DELIVERY_INTERVAL_MS": 20}
    try:
        server = Server(binary, url, "webhooks-setup", **env).start()
        admin = server.token("admin")
        company = server.req("GET", "/api/v1/me", token=server.token("company")).json()
        created = server.req("POST", "/api/v1/webhooks", token=admin, body={
            "organisation_id": company["organisation"]["id"],
            "url": f"http://127.0.0.1:{port}/hooks/rel",
            "event_types": ["complaint.filed"],
        })
        if created.status != 201:
            raise RuntimeError(f"subscribing answered {created.status}: {created.body[:300]!r}")
        endpoint = created.json()
        _control(port, "PUT", "/_control/receivers/rel", {"secrets": [endpoint["secret"]]})
        server.stop()
        # Queue the messages as the worker's fan-out would have written them.
        psql(db, "INSERT INTO webhook_messages (id, endpoint_id, webhook_id, complaint_id, event_type, body, "
                 "state, next_attempt_at, attempts, is_test, created_at) "
                 f"SELECT gen_random_uuid(), '{endpoint['id']}', 'msg_rel_' || n, NULL, 'complaint.filed', "
                 "'{\"type\":\"complaint.filed\",\"timestamp\":\"2026-12-06T00:00:00Z\",\"data\":{\"n\":' || n || '}}', "
                 f"'pending', now(), 0, false, now() FROM generate_series(1, {MESSAGES}) AS n")

        server = Server(binary, url, "webhooks-kill9", **env).start()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if len(_control(port, "GET", "/_control/received/rel")) >= MESSAGES // 3:
                break
            time.sleep(0.05)
        server.signal(signal.SIGKILL)
        server.proc.wait(timeout=10)
        at_kill = len(_control(port, "GET", "/_control/received/rel"))
        recorded = int(psql(db, "SELECT count(*) FROM webhook_messages WHERE state = 'delivered'"))

        # The killed process's claims would run out after a minute; the test ends them as time would.
        psql(db, "UPDATE webhook_messages SET claimed_until = NULL WHERE state = 'pending'")
        server = Server(binary, url, "webhooks-kill9-restart", **env).start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if int(psql(db, "SELECT count(*) FROM webhook_messages WHERE state = 'pending'")) == 0:
                break
            time.sleep(0.2)
        server.stop()
        received = _control(port, "GET", "/_control/received/rel")
        ids = [d["webhook_id"] for d in received if d["answered"] < 300]
        distinct = len(set(ids))
        lost = MESSAGES - distinct
        twice = len(ids) - distinct
        unverified = sum(1 for d in received if not d["verified"])
        pending = int(psql(db, "SELECT count(*) FROM webhook_messages WHERE state = 'pending'"))
        ok = (0 < at_kill < MESSAGES and lost == 0 and pending == 0 and unverified == 0
              and twice <= IN_FLIGHT)
        report("kill -9 while sending webhooks (postgres)",
               f"{MESSAGES} queued; SIGKILL after {at_kill} reached the receiver ({recorded} recorded); "
               f"after restart {distinct} distinct delivered, {lost} lost, {twice} sent twice with the same "
               f"webhook-id (bound: {IN_FLIGHT} in flight), {unverified} failed verification, "
               f"{pending} still pending", ok)
    finally:
        receiver.kill()
        receiver.wait(timeout=10)

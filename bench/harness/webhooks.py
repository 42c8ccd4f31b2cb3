"""Issue 12, part 1: webhook fan-out. BENCH_WEBHOOK_ENDPOINTS (10) subscriptions of the demo
company, each pointing at its own receiver on the Standard Webhooks receiver of the tests
(tests/sinks/webhooks.py, the sinks' virtualenv), and BENCH_WEBHOOK_TRANSITIONS (1,000) accepts
through the API, once without subscriptions and once with them, on the same server.

1. The receiver starts; the server starts with the worker every second (it reads the outbox and
   writes one webhook message per subscriber) and the webhook sender every
   APP_DELIVERY_INTERVAL_MS (1000, from the environment if set). Outbox rows left undelivered by
   the earlier scenarios (the worker is off there) are marked delivered first, and the seeded
   complaints already past their deadline are marked overdue, so that the worker's first ticks
   carry only this part's work (what it would otherwise do over minutes is not what is measured).
2. Without subscriptions: n accepts (If-Match "1") over a pool of n registered complaints of the
   company, BENCH_WEBHOOK_CLIENTS (16) keep-alive connections, each id once: transitions/s.
3. The demo admin subscribes 10 endpoints (`POST /api/v1/webhooks`, event `complaint.accepted`),
   and each endpoint's secret is given to its receiver (/hooks/e1 … /hooks/e10) through the
   receiver's control API. A second pool of n is accepted the same way: transitions/s again.
4. The receiver's /_control/counts is polled until every delivery (n × 10) has arrived; then
   every receiver's list is checked: each verified with the endpoint's secret, each complaint
   once per endpoint (no duplicates, no losses), all `complaint.accepted`.
"""

import http.client
import json
import os
import queue
import subprocess
import threading
import time
import uuid

from .config import HERE, log, db_url, psql, free_port, DB, WORK
from .server import Server
from .data import prepare_transition_pool

ENDPOINTS = int(os.environ.get("BENCH_WEBHOOK_ENDPOINTS", "10"))
TRANSITIONS = int(os.environ.get("BENCH_WEBHOOK_TRANSITIONS", "1000"))
CLIENTS = int(os.environ.get("BENCH_WEBHOOK_CLIENTS", "16"))
REPO = os.path.dirname(HERE)
SINKS = os.path.join(REPO, "tests", "sinks")
EVENT = "complaint.accepted"


class Receiver:
    """The Standard Webhooks receiver as a child process."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    def start(self):
        venv = subprocess.run([os.path.join(SINKS, "venv.sh")], capture_output=True, text=True,
                              check=True, timeout=600).stdout.strip()
        self.log = open(os.path.join(WORK, "webhooks-receiver.log"), "ab")
        self.proc = subprocess.Popen(
            [os.path.join(venv, "bin", "python"), os.path.join(SINKS, "webhooks.py"), "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                self.call("GET", "/_control/health")
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"receiver exited {self.proc.returncode}; see {WORK}/webhooks-receiver.log")
                time.sleep(0.05)
        raise RuntimeError("webhook receiver not up in 10 s")

    def call(self, method, path, body=None, timeout=60):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=json.dumps(body).encode() if body is not None else None)
            r = c.getresponse()
            data = r.read()
            return json.loads(data) if data else None
        finally:
            c.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def accept_all(server, token, ids_path):
    """Accepts every id of the file once, over CLIENTS keep-alive connections. Returns (seconds from
    the first request to the last answer, wall time of the last answer, errors)."""
    with open(ids_path) as f:
        ids = [line.strip() for line in f if line.strip()]
    todo = queue.Queue()
    for i in ids:
        todo.put(i)
    errors, lock = [], threading.Lock()
    last = [0.0]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "If-Match": '"1"'}
    body = b'{"type":"accept"}'

    def client():
        c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        while True:
            try:
                cid = todo.get_nowait()
            except queue.Empty:
                break
            try:
                c.request("POST", f"/api/v1/complaints/{cid}/transitions", body=body, headers=headers)
                r = c.getresponse()
                text = r.read()
                if not 200 <= r.status < 300:
                    with lock:
                        errors.append(f"{r.status} {text[:200]!r}")
            except (OSError, http.client.HTTPException) as e:
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
                with lock:
                    errors.append(repr(e))
            now = time.time()
            with lock:
                last[0] = max(last[0], now)
        c.close()

    t0 = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - t0, last[0], errors, len(ids)


def outbox_pending():
    return int(psql("SELECT count(*) FROM outbox WHERE delivered_at IS NULL"))


def run_webhooks(binary):
    """Returns the figures for latest.json (`webhooks`)."""
    n, k = TRANSITIONS, ENDPOINTS
    interval = os.environ.get("APP_DELIVERY_INTERVAL_MS", "1000")
    result = {"transitions": n, "endpoints": k, "event_types": [EVENT], "clients": CLIENTS,
              "delivery_interval_ms": int(interval), "worker_interval_s": 1,
              "expected_deliveries": n * k}
    receiver = Receiver().start()
    run = uuid.uuid4().hex[:8]
    try:
        # 1. Quiet outbox and deadlines (see the module's comment), then the server.
        result["prepared"] = {
            "outbox_marked_delivered": int(psql(
                "WITH m AS (UPDATE outbox SET delivered_at = now() WHERE delivered_at IS NULL RETURNING 1) "
                "SELECT count(*) FROM m")),
            "complaints_marked_overdue": int(psql(
                "WITH m AS (UPDATE complaints SET overdue = true WHERE NOT overdue AND due_at < now() + interval '1 hour' "
                "AND status IN ('needs_routing','registered','in_progress','awaiting_verification','under_inspection') "
                "RETURNING 1) SELECT count(*) FROM m")),
        }
        server = Server(binary, db_url(DB), APP_DEMO="true", APP_WEBHOOKS_ALLOW_PRIVATE="true",
                        APP_WORKER_INTERVAL_SECONDS="1", APP_DELIVERY_INTERVAL_MS=interval).start()
        company = server.login("company")
        org = company["user"]["organisation"]["id"]
        admin = server.login("admin")["access_token"]
        # Old subscriptions of the company (an earlier run on a reused database) would get deliveries too.
        try:
            old = [w for w in json.loads(_get(server, "/api/v1/webhooks", admin))["items"] if w["enabled"]]
        except (ValueError, KeyError, TypeError):
            old = []
        for w in old:
            _send(server, "PATCH", f"/api/v1/webhooks/{w['id']}", admin, {"enabled": False})
        result["old_subscriptions_disabled"] = len(old)
        time.sleep(3)  # the worker's first ticks: what is left to fan out of the preparation

        # 2. Without subscriptions.
        pool_a, na = prepare_transition_pool(org, n, tag=f"Вебхук {run} без подписок", name="webhooks-a.txt")
        log(f"webhooks: {na} accepts without subscriptions, {CLIENTS} connections")
        sa, _, errors_a, _ = accept_all(server, company["access_token"], pool_a)
        result["without"] = {"transitions": na, "seconds": round(sa, 2), "per_second": round(na / sa, 1),
                             "errors": len(errors_a), "first_errors": errors_a[:3]}
        log(f"  {na / sa:.0f} transitions/s, errors {len(errors_a)}")
        t0 = time.monotonic()
        while outbox_pending() and time.monotonic() - t0 < 120:
            time.sleep(0.5)
        result["without"]["outbox_drained_s"] = round(time.monotonic() - t0, 1)

        # 3. Subscribe k endpoints, tell each receiver its secret.
        for i in range(1, k + 1):
            code, body = _send(server, "POST", "/api/v1/webhooks", admin, {
                "organisation_id": org, "url": f"http://127.0.0.1:{receiver.port}/hooks/e{i}",
                "description": f"bench {run} e{i}", "event_types": [EVENT]})
            if code != 201:
                raise RuntimeError(f"subscribing e{i}: {code} {body[:300]!r}")
            receiver.call("PUT", f"/_control/receivers/e{i}", {"secrets": [json.loads(body)["secret"]]})
        pool_b, nb = prepare_transition_pool(org, n, tag=f"Вебхук {run} с подписками", name="webhooks-b.txt")
        expected = nb * k
        log(f"webhooks: {nb} accepts with {k} subscriptions ({expected} deliveries)")
        sb, last_transition, errors_b, _ = accept_all(server, company["access_token"], pool_b)
        result["with"] = {"transitions": nb, "seconds": round(sb, 2), "per_second": round(nb / sb, 1),
                          "errors": len(errors_b), "first_errors": errors_b[:3]}
        log(f"  {nb / sb:.0f} transitions/s, errors {len(errors_b)}")

        # 4. Until every delivery is in.
        progress, t_last = [], time.monotonic()
        last_total = -1
        while True:
            counts = receiver.call("GET", "/_control/counts")
            total = sum(c["received"] for name, c in counts.items() if name.startswith("e"))
            now = time.time() - last_transition
            if not progress or now - progress[-1][0] >= 1 or total >= expected:
                progress.append((round(now, 2), total))
            if total != last_total:
                last_total, t_last = total, time.monotonic()
            if total >= expected:
                break
            if time.monotonic() - t_last > 60:
                log(f"  no progress for 60 s at {total}/{expected}")
                break
            time.sleep(0.2)
        time.sleep(3)  # a late duplicate would arrive now
        server_status = server.status()
        server.stop()

        ours = set()
        with open(pool_b) as f:
            ours = {line.strip() for line in f if line.strip()}
        per = {}
        first_arrival, last_arrival = None, None
        all_verified, wrong_type, foreign, dup, lost = 0, 0, 0, 0, 0
        for i in range(1, k + 1):
            entries = receiver.call("GET", f"/_control/received/e{i}", timeout=300)
            complaint_ids = [json.loads(e["body"])["data"]["complaint_id"] for e in entries]
            seen = set(complaint_ids)
            verified = sum(1 for e in entries if e["verified"])
            all_verified += verified
            wrong_type += sum(1 for e in entries if e["type"] != EVENT)
            foreign += len(seen - ours)
            dup += len(complaint_ids) - len(seen)
            lost += len(ours - seen)
            if entries:
                a = min(e["arrived_at"] for e in entries)
                b = max(e["arrived_at"] for e in entries)
                first_arrival = a if first_arrival is None else min(first_arrival, a)
                last_arrival = b if last_arrival is None else max(last_arrival, b)
            per[f"e{i}"] = {"received": len(entries), "verified": verified, "distinct_complaints": len(seen)}
        received = sum(p["received"] for p in per.values())
        fanout_s = (last_arrival - last_transition) if last_arrival else None
        window = (last_arrival - first_arrival) if last_arrival and first_arrival else None
        result.update({
            "received": received, "verified": all_verified, "duplicates": dup, "lost": lost,
            "foreign": foreign, "wrong_type": wrong_type, "per_endpoint": per,
            "seconds_after_last_transition": round(fanout_s, 2) if fanout_s is not None else None,
            "first_delivery_after_first_transition_s":
                round(first_arrival - (last_transition - sb), 2) if first_arrival else None,
            "delivery_window_s": round(window, 2) if window else None,
            "deliveries_per_second": round(received / window, 1) if window else None,
            "deliveries_per_second_from_first_transition":
                round(received / (last_arrival - (last_transition - sb)), 1) if last_arrival else None,
            "complete": received >= expected and lost == 0,
            "progress": progress,
            "server_vmhwm_mb": server_status.get("VmHWM"),
        })
        a, b = result["without"]["per_second"], result["with"]["per_second"]
        if a:
            diff = (b - a) / a * 100
            result["transitions_change_pct"] = round(diff, 1)
            result["within_10pct"] = abs(diff) <= 10
        log(f"webhooks: {received}/{expected} received, verified {all_verified}, duplicates {dup}, lost {lost}; "
            f"last {result['seconds_after_last_transition']} s after the last transition, "
            f"{result['deliveries_per_second']} deliveries/s; transitions/s {a} -> {b} "
            f"({result.get('transitions_change_pct')} %)")
        return result
    finally:
        receiver.stop()


def _get(server, path, token):
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    c.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    body = c.getresponse().read()
    c.close()
    return body


def _send(server, method, path, token, payload):
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    c.request(method, path, body=json.dumps(payload).encode(),
              headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body

"""The release binary under test, and the VmRSS sampler that watches it."""

import atexit
import json
import os
import signal
import subprocess
import threading
import time

from .config import free_port, http, JWT_SECRET, WORK


STARTED_SERVERS = []


@atexit.register
def _stop_servers():
    """A crashed run must not leave servers behind."""
    for server in STARTED_SERVERS:
        if server.proc and server.proc.poll() is None:
            server.proc.kill()


class Server:
    def __init__(self, binary, url, **env):
        self.binary, self.url, self.env = binary, url, env
        self.port = free_port()
        self.proc = None
        STARTED_SERVERS.append(self)

    def start(self):
        env = dict(os.environ, APP_JWT_SECRET=JWT_SECRET, APP_BIND=f"127.0.0.1:{self.port}",
                   DATABASE_URL=self.url, APP_WORKER_INTERVAL_SECONDS="0",
                   APP_DAILY_COMPLAINT_LIMIT="100000000", APP_API_KEY_RATE_LIMIT="4000000000",
                   APP_LOG_FORMAT="json", RUST_LOG="warn",
                   # The bench signs in as the demo city's users, who may act only in demo mode.
                   APP_DEMO="true", APP_DEMO_COMPLAINTS="0",
                   APP_WEB_DIR=os.path.join(WORK, "no-web"))
        env.update(self.env)
        logf = open(os.path.join(WORK, "server.log"), "ab")
        t0 = time.monotonic()
        self.proc = subprocess.Popen([self.binary, "serve"], env=env, stdout=logf, stderr=subprocess.STDOUT)
        while time.monotonic() - t0 < 120:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}; see {WORK}/server.log")
            try:
                if http(self.port, "GET", "/ready", timeout=2)[0] == 200:
                    self.ready_ms = (time.monotonic() - t0) * 1000
                    return self
            except OSError:
                pass
            time.sleep(0.005)
        raise RuntimeError("server not ready in 120 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def restart(self):
        """Stopped and started again on the same port, as after a deploy."""
        self.stop()
        return self.start()

    def status(self):
        out = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS", "VmHWM")):
                    k, v = line.split(":")
                    out[k] = int(v.split()[0]) // 1024  # MB
        return out

    def login(self, who):
        code, _, body = http(self.port, "POST", "/api/v1/auth/login",
                             body={"login": who if "@" in who else f"{who}@demo.test", "password": "demo2026"})
        if code != 200:
            raise RuntimeError(f"login {who}: {code} {body[:200]!r}")
        return json.loads(body)


    def api_key(self, organisation_id, scopes):
        """A new API key of the organisation, created by the demo admin."""
        admin = self.login("admin")["access_token"]
        code, _, body = http(self.port, "POST", "/api/v1/admin/api-keys", token=admin,
                             body={"name": "bench", "organisation_id": organisation_id, "scopes": scopes})
        if code != 201:
            raise RuntimeError(f"api key: {code} {body[:200]!r}")
        return json.loads(body)["key"]

    def etag(self, path, token):
        """The ETag of a GET, for conditional requests."""
        code, headers, _ = http(self.port, "GET", path, token=token)
        if code != 200:
            raise RuntimeError(f"GET {path}: {code}")
        return {k.lower(): v for k, v in headers.items()}["etag"]


class RssSampler(threading.Thread):
    """Samples the server's VmRSS; with `kill_above_mb` it kills the server beyond that, so that a
    runaway request cannot take the shared machine down."""

    def __init__(self, server, kill_above_mb=None):
        super().__init__(daemon=True)
        self.server, self.max_rss, self.stop_flag = server, 0, threading.Event()
        self.kill_above_mb, self.killed = kill_above_mb, False

    def run(self):
        while not self.stop_flag.is_set():
            try:
                self.max_rss = max(self.max_rss, self.server.status().get("VmRSS", 0))
            except OSError:
                return
            if self.kill_above_mb and self.max_rss > self.kill_above_mb:
                self.killed = True
                self.server.proc.kill()
                return
            time.sleep(0.2)

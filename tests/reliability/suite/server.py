"""HTTP to the binary and the binary itself: one connection per request, and `Server`, the real
binary on a free port with its own log."""

import http.client
import json
import os
import signal
import socket
import subprocess
import time

from .common import JWT_SECRET, PASSWORD, WORK, SERVERS


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

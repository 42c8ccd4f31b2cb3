"""Forged JWTs, login brute force, spoofed X-Forwarded-For, 1 MB bodies and security headers."""

import base64
import hashlib
import hmac
import json
import os
import time
import uuid

from .common import report, JWT_SECRET, PASSWORD, WORK
from .server import Server, sqlite_url


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

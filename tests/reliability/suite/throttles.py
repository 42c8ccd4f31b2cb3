"""Issue 17: the sign-in throttle under a race across two replicas, and a hash-pool flood from one
address that must not stop another address from signing in."""

import uuid
from concurrent.futures import ThreadPoolExecutor

from .common import report, pg_url, create_database, PASSWORD
from .server import Server


def check_throttle_race(binary):
    db = create_database("throttle")
    first = Server(binary, pg_url(db), "throttle-a").start()
    second = Server(binary, pg_url(db), "throttle-b").start()

    def attempt(n):
        server = first if n % 2 == 0 else second
        r = server.req("POST", "/api/v1/auth/login",
                       body={"login": "dispatcher@demo.test", "password": f"wrong{n}"}, timeout=30)
        return r.status

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(attempt, range(40)))
    wrong = statuses.count(401)
    limited = statuses.count(429)
    # One at a time afterwards: guesses stop at five in all.
    for n in range(10):
        r = first.req("POST", "/api/v1/auth/login",
                      body={"login": "dispatcher@demo.test", "password": f"later{n}"})
        if r.status != 401:
            break
        wrong += 1
    report("throttle race: 40 parallel wrong passwords on two replicas",
           f"{statuses.count(401)} × 401, {limited} × 429, others {40 - statuses.count(401) - limited}; "
           f"guesses checked in all {wrong}",
           statuses.count(401) <= 5 and statuses.count(401) + limited == 40 and wrong == 5)


def check_hash_flood(binary):
    db = create_database("flood")
    server = Server(binary, pg_url(db), "flood", APP_TRUSTED_PROXIES="127.0.0.1").start()

    def flood(n):
        r = server.req("POST", "/api/v1/auth/login",
                       body={"login": f"nobody-{uuid.uuid4().hex[:8]}@example.ru", "password": "guess"},
                       headers={"X-Forwarded-For": "203.0.113.66"}, timeout=30)
        return r.status

    with ThreadPoolExecutor(max_workers=64) as pool:
        flooding = [pool.submit(flood, n) for n in range(300)]
        other = server.req("POST", "/api/v1/auth/login",
                           body={"login": "resident@demo.test", "password": PASSWORD},
                           headers={"X-Forwarded-For": "198.51.100.7"}, timeout=30)
        statuses = [f.result() for f in flooding]
    hashed = statuses.count(401)
    report("hash-pool flood from one address (300 random logins)",
           f"flood: {hashed} × 401, {statuses.count(429)} × 429, {statuses.count(503)} × 503; "
           f"another address signs in → {other.status} in {other.seconds:.2f} s",
           other.status == 200 and hashed <= 30 and statuses.count(503) == 0
           and statuses.count(401) + statuses.count(429) == 300)

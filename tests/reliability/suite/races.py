"""One Idempotency-Key in parallel, concurrent transitions on one version, and mixed clients."""

import random
import threading
import time
import uuid

from .common import report, time_left, run_threads, join_all, pg_url, psql, create_database
from .server import Server


def check_races(binary):
    db = create_database("race")
    server = Server(binary, pg_url(db), "races").start()
    resident = server.token("resident")
    resident2 = server.token("resident2")
    company_login = server.login("company")
    company = company_login["access_token"]
    org = (company_login["user"].get("organisation") or {}).get("id")
    building, category = server.city(org)

    # 1. 50 parallel POSTs with one Idempotency-Key.
    key = f"same-{uuid.uuid4().hex}"
    marker = f"idem race {uuid.uuid4().hex}"
    barrier = threading.Barrier(50, timeout=20)
    replies = []
    lock = threading.Lock()

    def same_key(i):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        r = server.create(resident, building, category, marker, key=key, timeout=20)
        with lock:
            replies.append(r)

    join_all(run_threads(same_key, 50), 40)
    rows = int(psql(db, f"SELECT count(*) FROM complaints WHERE description = '{marker}'"))
    ids = {(r.json() or {}).get("complaint", {}).get("id") for r in replies if r.status == 201}
    statuses = sorted({str(r.status or r.error) for r in replies})
    report("50 parallel POSTs with one Idempotency-Key",
           f"{rows} complaint row(s), {len(replies)} answers {statuses}, {len(ids)} distinct id(s)",
           rows == 1 and len(replies) == 50 and statuses == ["201"] and len(ids) == 1)

    # 2. Two concurrent accepts on the same version, 10 times.
    pairs = []
    for n in range(10):
        c = server.create(resident, building, category, f"accept race {n}", key=f"ar-{uuid.uuid4().hex}")
        if c.status != 201:
            pairs.append(("create", c.status))
            continue
        cid = c.json()["complaint"]["id"]
        version = c.header("etag")
        bar = threading.Barrier(2, timeout=10)
        out = []

        def accept(_i):
            try:
                bar.wait()
            except threading.BrokenBarrierError:
                pass
            r = server.req("POST", f"/api/v1/complaints/{cid}/transitions", token=company,
                           headers={"If-Match": version}, body={"type": "accept"}, timeout=15)
            out.append(r.status or r.error)

        join_all(run_threads(accept, 2), 20)
        pairs.append(tuple(sorted(map(str, out))))
    good_pairs = sum(1 for p in pairs if p == ("200", "412"))
    report("two concurrent accepts on one version (×10)",
           f"{good_pairs}/10 pairs answered exactly one 200 and one 412; pairs seen {sorted(set(pairs))}",
           good_pairs == 10)

    # 3. 20 clients × 500 mixed operations.
    run_id = uuid.uuid4().hex[:8]
    acked = {}  # key -> (complaint id, description)
    replay_mismatch = []
    outcomes = {}
    server_errors = []
    stop_at = time.monotonic() + min(240, max(30, time_left() - 150))
    done_ops = [0]

    def mixed(i):
        rng = random.Random(i)
        token = resident if i % 2 else resident2
        mine = []
        for n in range(500):
            if time.monotonic() > stop_at:
                return
            op = rng.random()
            if op < 0.4:
                k = f"mix-{run_id}-{i}-{n}"
                desc = f"mixed {run_id} c{i} op{n}"
                r = server.create(token, building, category, desc, key=k, timeout=20)
                if r.status == 201:
                    cid = r.json()["complaint"]["id"]
                    with lock:
                        acked[k] = (cid, desc)
                    mine.append((cid, r.header("etag")))
                    if rng.random() < 0.1:  # a client retry of the same request
                        again = server.create(token, building, category, desc, key=k, timeout=20)
                        if again.status != 201 or again.json()["complaint"]["id"] != cid:
                            replay_mismatch.append((k, again.status))
            elif op < 0.6 and mine:
                cid, version = mine[rng.randrange(len(mine))]
                r = server.req("POST", f"/api/v1/complaints/{cid}/transitions", token=company,
                               headers={"If-Match": version}, body={"type": "accept"}, timeout=20)
            elif op < 0.8:
                r = server.req("GET", "/api/v1/complaints?status=registered,in_progress&sort=newest&limit=20",
                               token=company, timeout=20)
            elif mine:
                r = server.req("GET", f"/api/v1/complaints/{mine[-1][0]}", token=token, timeout=20)
            else:
                r = server.req("GET", "/api/v1/complaints?limit=20", token=token, timeout=20)
            with lock:
                done_ops[0] += 1
                key_ = str(r.status or r.error)
                outcomes[key_] = outcomes.get(key_, 0) + 1
                if r.status is None or r.status >= 500:
                    server_errors.append((r.status or r.error, r.body[:200]))

    t0 = time.monotonic()
    join_all(run_threads(mixed, 20), max(40, stop_at - time.monotonic() + 60))
    elapsed = time.monotonic() - t0
    counts = dict(
        line.split("|") for line in psql(
            db, f"SELECT description, count(*) FROM complaints WHERE description LIKE 'mixed {run_id} %' "
                "GROUP BY description").splitlines() if line)
    not_once = [d for _, d in acked.values() if counts.get(d) != "1"]
    dup = sum(1 for v in counts.values() if v != "1")
    report("20 clients × 500 mixed operations",
           f"{done_ops[0]} operations in {elapsed:.1f} s, outcomes {dict(sorted(outcomes.items()))}; "
           f"{len(acked)} acknowledged creates, {len(acked) - len(not_once)} present exactly once, "
           f"{dup} duplicated descriptions, {len(replay_mismatch)} bad replays, {len(server_errors)} 5xx/errors",
           acked and not not_once and dup == 0 and not replay_mismatch and not server_errors)
    server.stop()

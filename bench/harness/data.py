"""The seeded city (PostgreSQL and SQLite), the create scenario's rotation, the SQL captured from
the PostgreSQL log as pgbench scripts, and the pool of complaints for the accept scenario."""

import json
import os
import subprocess
import sys
import time
import uuid

import capture  # bench/capture.py; run.py puts bench/ on sys.path
from .config import (
    HERE, log, db_url, psql, http, N_COMPLAINTS, DB, SQLITE_COMPLAINTS, PG_LOG_DIR, JWT_SECRET,
    RESULTS_DIR, WORK,
)
from .server import Server
from .measure import wrk, pg_log_file, read_from


def seed_postgres(binary, n_complaints=None):
    """A fresh database DB with the demo city and `n_complaints` (BENCH_COMPLAINTS) seeded ones;
    BENCH_REUSE=1 keeps one that has at least as many."""
    n = n_complaints or N_COMPLAINTS
    if os.environ.get("BENCH_REUSE") == "1":
        try:
            have = int(psql("SELECT count(*) FROM complaints"))
            if have >= n:
                log(f"reusing {DB} with {have} complaints")
                return {"reused": True, "complaints": have}
        except RuntimeError:
            pass
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", db="postgres")
    psql(f"CREATE DATABASE {DB}", db="postgres")
    t0 = time.monotonic()
    env = dict(os.environ, DATABASE_URL=db_url(DB), APP_JWT_SECRET=JWT_SECRET, RUST_LOG="warn")
    subprocess.run([binary, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    demo = Server(binary, db_url(DB), APP_DEMO="true").start()  # loads the demo city (users, categories)
    demo.stop()
    t1 = time.monotonic()
    log(f"migrated and loaded the demo city in {t1 - t0:.1f} s; seeding {n} complaints")
    out = subprocess.run(["psql", db_url(DB), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                          "-v", f"complaints={n}", "-v", "companies=200",
                          "-v", f"buildings={max(2000, n // 50)}",
                          "-v", f"residents={max(1000, n // 50)}",
                          "-f", os.path.join(HERE, "seed", "seed_postgres.sql")],
                         capture_output=True, text=True, timeout=max(1800, n // 500))
    if out.returncode:
        raise RuntimeError(f"seed failed: {out.stderr[-2000:]}")
    # The seed bulk-loads with triggers off (session_replication_role = replica), so the
    # scorecard's counters are filled afterwards, as the repair does (the bench's own filings and
    # transitions then keep them).
    subprocess.run([binary, "scorecard-triggers", "on"], env=env, check=True, capture_output=True,
                   timeout=3600)
    seconds = time.monotonic() - t1
    with open(os.path.join(WORK, f"seed-{n}.log"), "w") as f:
        f.write(out.stdout)  # psql's \timing of each statement
    counts = psql("SELECT (SELECT count(*) FROM organisations WHERE kind='management_company'), "
                  "(SELECT count(*) FROM buildings), (SELECT count(*) FROM complaints), "
                  "(SELECT count(*) FROM complaint_events), pg_size_pretty(pg_database_size(current_database()))")
    companies, buildings, complaints, events, size = counts.split("|")
    log(f"seeded in {seconds:.1f} s: {companies} companies, {buildings} buildings, {complaints} complaints, "
        f"{events} events, {size}")
    return {"seconds": round(seconds, 1), "migrate_and_demo_seconds": round(t1 - t0, 1),
            "companies": int(companies), "buildings": int(buildings), "complaints": int(complaints),
            "events": int(events), "database_size": size}


def seed_sqlite(binary):
    path = os.path.join(WORK, "bench.sqlite")
    url = f"sqlite://{path}?mode=rwc"
    env = dict(os.environ, DATABASE_URL=url, APP_JWT_SECRET=JWT_SECRET, RUST_LOG="warn")
    subprocess.run([binary, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    Server(binary, url, APP_DEMO="true").start().stop()
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, os.path.join(HERE, "seed", "seed_sqlite.py"), path, str(SQLITE_COMPLAINTS)],
                         capture_output=True, text=True, timeout=900)
    if out.returncode:
        raise RuntimeError(f"sqlite seed failed: {out.stderr[-2000:]}")
    seconds = time.monotonic() - t0
    server = Server(binary, url).start()
    company = server.login("company")["access_token"]
    r = wrk(server, "get.lua", {"BENCH_TOKEN": company,
                                "BENCH_PATH": "/api/v1/complaints?status=registered,in_progress&sort=newest&limit=20"},
            duration=5)
    server.stop()
    log(f"SQLite: seeded {SQLITE_COMPLAINTS} in {seconds:.1f} s; company queue {r['rps']:.0f} rps p99 {r['p99_ms']:.1f} ms")
    return {"complaints": SQLITE_COMPLAINTS, "seconds": round(seconds, 1), "seed_output": out.stdout.strip(),
            "queue": {k: v for k, v in r.items() if k != "wrk_output"}}


def load_mix():
    """The buildings, categories and residents the create scenario rotates over (the same for
    wrk and pgbench): 50 buildings of different companies, every category, 40 residents."""
    rows = [l.split("|") for l in psql(
        "SELECT id, company_id FROM buildings WHERE company_id IS NOT NULL ORDER BY md5(id::text) LIMIT 50").splitlines()]
    cats = psql("SELECT id FROM categories WHERE is_active ORDER BY code").splitlines()
    logins = [f"resident{g}@bench.test" for g in range(1, 41)]
    ids = dict(l.split("|") for l in psql(
        "SELECT login, id FROM users WHERE login IN (" + ",".join(f"'{x}'" for x in logins) + ")").splitlines())
    return {"buildings": [r[0] for r in rows], "companies": [r[1] for r in rows], "categories": cats,
            "logins": logins, "residents": [ids[x] for x in logins]}


def array_pick(values, var):
    return "(ARRAY[" + ",".join(f"'{v}'" for v in values) + f"])[:{var}]::uuid"


def capture_sql(binary, mix):
    building, category = mix["buildings"][0], mix["categories"][0]
    """Runs one create and one company-queue request with every statement logged; returns the
    pgbench scripts built from them."""
    psql(f"ALTER DATABASE {DB} SET log_min_duration_statement = 0", db="postgres")
    try:
        server = Server(binary, db_url(DB), APP_DB_MAX_CONNECTIONS="2").start()
        resident = server.login(mix["logins"][0])["access_token"]
        company = server.login("company")["access_token"]
        key = f"capture-{uuid.uuid4().hex}"
        logfile = pg_log_file()
        time.sleep(0.3)
        off = os.path.getsize(logfile)
        code, _, body = http(server.port, "POST", "/api/v1/complaints", token=resident,
                             headers={"Idempotency-Key": key},
                             body={"building_id": building, "category_id": category,
                                   "description": "Нагрузочный тест: нет горячей воды"})
        assert code == 201, (code, body[:300])
        created = json.loads(body)["complaint"]
        time.sleep(0.5)
        create_log = read_from(logfile, off)
        off = os.path.getsize(logfile)
        queue_path = "/api/v1/complaints?status=registered,in_progress&sort=newest&limit=20"
        code, _, body = http(server.port, "GET", queue_path, token=company)
        assert code == 200
        time.sleep(0.5)
        queue_log = read_from(logfile, off)
        server.stop()
    finally:
        psql(f"ALTER DATABASE {DB} RESET log_min_duration_statement", db="postgres")
    create_stmts = capture.parse_log(create_log, DB)
    queue_stmts = [s for s in capture.parse_log(queue_log, DB) if s[1].lstrip().upper().startswith("SELECT")]
    if not create_stmts or not queue_stmts:
        raise RuntimeError("no statements captured: is log_min_duration_statement allowed and the log in "
                           f"{PG_LOG_DIR}?")
    cid = created["id"]
    event_id = psql(f"SELECT id FROM complaint_events WHERE complaint_id = '{cid}'")
    outbox_id = psql(f"SELECT id FROM outbox WHERE complaint_id = '{cid}'")
    prefix = created["number"].rsplit("-", 1)[0] + "-"
    # Every id the filing inserts is time-ordered, as the API's (capture.UUID7): the complaint's
    # is drawn once per transaction (capture.CID_FIRST), the others where they stand.
    needles = [
        (cid, capture.CID),
        # the provisional number a filing carries until it takes its real one: the id's hex digits
        (cid.replace("-", ""), capture.CID_HEX),
        (event_id, capture.UUID7),
        (outbox_id, capture.UUID7),
        (created["number"], f"('{prefix}' || lpad(:value::text, greatest(6, length(:value::text)), '0'))"),
        (key, "('pgbench-' || :client_id::text || '-' || :r::text)"),
        # the same rotation as the wrk script: building (with its company), category, resident
        (mix["buildings"][0], array_pick(mix["buildings"], "bi")),
        (mix["companies"][0], array_pick(mix["companies"], "bi")),
        (category, array_pick(mix["categories"], "ci")),
        (mix["residents"][0], array_pick(mix["residents"], "ri")),
    ]
    # each legal clock the filing started (issue 15) is a row of its own
    clock_ids = psql(f"SELECT id FROM complaint_clocks WHERE complaint_id = '{cid}'").split()
    needles += [(clock_id, capture.UUID7) for clock_id in clock_ids]
    needles = [(n, e) for n, e in needles if n]
    types = {}
    for line in psql("SELECT table_name, column_name, udt_name FROM information_schema.columns "
                     "WHERE table_schema = 'public'").splitlines():
        t, c, u = line.split("|")
        types[(t, c)] = u
    create_script = capture.draw_cid_first(
        capture.pgbench_script(create_stmts, needles, gset_on="INSERT INTO counters", types=types))
    # any other row the filing inserts with an id of its own (a new table) must not be replayed
    # with the captured id: it would collide on the second transaction
    replaced = {n for n, _e in needles}
    for _pid, sql, params in create_stmts:
        for n, (table, column) in capture.column_of_params(sql).items():
            if column == "id" and params.get(n) and params[n] not in replaced:
                raise RuntimeError(f"the filing inserts {table}.id {params[n]}, which the replay does not replace")
    unreplaced = [i for i in [cid, event_id, outbox_id] + clock_ids if i and i in create_script]
    if unreplaced:
        raise RuntimeError(f"ids replayed literally by pgbench: {unreplaced}")
    create_script = (f"\\set bi random(1, {len(mix['buildings'])})\n\\set ci random(1, {len(mix['categories'])})\n"
                     f"\\set ri random(1, {len(mix['residents'])})\n") + create_script
    queue_script = capture.pgbench_script(queue_stmts[-1:], [])
    with open(os.path.join(RESULTS_DIR, "captured-create.log"), "w") as f:
        f.write("\n".join(f"{sql}\n  -- params {params}" for _pid, sql, params in create_stmts))
    with open(os.path.join(RESULTS_DIR, "captured-queue.log"), "w") as f:
        f.write("\n".join(f"{sql}\n  -- params {params}" for _pid, sql, params in queue_stmts))
    return create_script, queue_script, len(create_stmts), queue_stmts[-1]


def explain(stmt):
    _pid, sql, params = stmt
    q = capture.substitute(sql, params, [])
    return psql("EXPLAIN (ANALYZE, BUFFERS) " + q)


def prepare_transition_pool(company_org, n, tag="Заявка для проверки принятия", name="transition-ids.txt"):
    """n registered complaints (version 1, with their registered event and the answer and fix
    clocks filing starts) of the company, for the accept scenario; `tag` starts their descriptions
    (a pool of its own per tag). Returns the ids file. Numbers past 999,999 take their seventh digit, as the API writes them (lpad would cut
    them to six and collide)."""
    num = f"(CASE WHEN c.value - {n} + tp.g < 1000000 THEN lpad((c.value - {n} + tp.g)::text, 6, '0') ELSE (c.value - {n} + tp.g)::text END)"
    psql(f"""
      BEGIN;
      CREATE TEMP TABLE tp AS
      SELECT gen_random_uuid() AS id, g, b.id AS building_id, b.address,
             (SELECT id FROM categories WHERE code = 'other') AS category_id,
             (SELECT id FROM users WHERE login = 'resident@demo.test') AS author
      FROM generate_series(1, {n}) g
      CROSS JOIN LATERAL (SELECT id, address FROM buildings WHERE company_id = '{company_org}'
                          ORDER BY id OFFSET (g % 10) LIMIT 1) b;
      WITH c AS (
        INSERT INTO counters (name, value) VALUES ('complaint_number_2026', {n})
        ON CONFLICT (name) DO UPDATE SET value = counters.value + {n} RETURNING value)
      INSERT INTO complaints (id, number, status, round, urgent, author_id, filed_by, building_id,
        company_id, category_id, description, search_text, registered_at, due_at, answer_due_at,
        unanswered_calls, overdue, updated_at, version, is_test)
      SELECT tp.id, 'СУР-2026-' || {num}, 'registered', 1, false,
             tp.author, tp.author, tp.building_id, '{company_org}', tp.category_id,
             '{tag} ' || tp.g,
             lower('СУР-2026-' || {num} || ' {tag} ' || tp.g || ' ' || tp.address),
             now() - interval '1 hour', now() + interval '14 days', now() + interval '30 days',
             0, false, now() - interval '1 hour', 1, false
      FROM tp, c;
      INSERT INTO complaint_events (id, complaint_id, kind, actor_id, actor_role, from_status, to_status,
        round, at, payload)
      SELECT gen_random_uuid(), tp.id, 'registered', tp.author, 'resident', NULL, 'registered', 1,
             now() - interval '1 hour', jsonb_build_object('company_id', '{company_org}', 'round', 1,
               'urgent', false, 'description', '{tag} ' || tp.g,
               'category', (SELECT code FROM categories WHERE id = tp.category_id))
      FROM tp;
      -- the legal clocks filing starts (issue 15): an accept meets the answer clock, which the
      -- scorecard's clock counters then count
      INSERT INTO complaint_clocks (id, complaint_id, code, round, basis, started_at, due_at,
        paused_at, paused_seconds, met_at, missed_at, stopped_at)
      SELECT gen_random_uuid(), tp.id, v.code, 1, v.basis, now() - interval '1 hour', v.due,
             NULL, 0, NULL, NULL, NULL
      FROM tp CROSS JOIN (VALUES ('answer', 'ПП 354 п. 31', now() + interval '3 days'),
                                 ('fix', 'Срок категории', now() + interval '14 days')) AS v(code, basis, due);
      -- counted as the API's filings count the clocks they write (migration 000117)
      INSERT INTO scorecard_clocks (company_id, is_test, code, stripe, clocks, met_on_time, missed)
      SELECT c.company_id, c.is_test, k.code, get_byte(uuid_send(c.id), 15) % 16, count(*), 0, 0
      FROM tp JOIN complaints c ON c.id = tp.id JOIN complaint_clocks k ON k.complaint_id = c.id
      GROUP BY 1, 2, 3, 4
      ON CONFLICT (company_id, is_test, code, stripe)
      DO UPDATE SET clocks = scorecard_clocks.clocks + excluded.clocks;
      COMMIT;""")
    ids = psql(f"SELECT id FROM complaints WHERE company_id = '{company_org}' AND status = 'registered' "
               f"AND description LIKE '{tag} %' AND version = 1")
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(ids + "\n")
    return path, len(ids.splitlines())

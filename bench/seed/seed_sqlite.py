#!/usr/bin/env python3
"""Seeds a SQLite database that `dispatch migrate` created and `dispatch serve` (APP_DEMO=true)
filled with the demo city, with the same skew of complaints over companies as seed_postgres.sql, at a
smaller size (the lifecycles are the simpler ones of round 1: no second rounds, orders or fines).

Usage: seed_sqlite.py <file.sqlite> [complaints=50000]

SQLite stores what the app writes: UUIDs as 16-byte blobs, timestamps as RFC 3339 text.
"""

import datetime as dt
import json
import random
import sqlite3
import sys
import time
import uuid
from zoneinfo import ZoneInfo

SURGUT = ZoneInfo("Asia/Yekaterinburg")
STREETS = ["улица Энергетиков", "проспект Мира", "улица 30 лет Победы", "улица Университетская",
           "Югорский тракт", "улица Федорова", "проспект Пролетарский", "улица Маяковского"]
DISTRICTS = ["Центральный", "Северный жилой", "Восточный", "Западный"]
TEXTS = ["Нет горячей воды в квартире", "Течёт крыша над подъездом", "Не работает лифт",
         "Засор мусоропровода на этаже", "Протечка в ванной с верхнего этажа", "Холодные батареи"]


def ts(t):
    return t.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
    rng = random.Random(20261128)
    t0 = time.monotonic()
    db = sqlite3.connect(path)
    # The scorecard's triggers (migration 000091) call unhex(), which SQLite has from 3.41 on; the
    # server's bundled SQLite has it, Python's may not (then every insert failed here).
    if sqlite3.sqlite_version_info < (3, 41):
        db.create_function("unhex", 1, lambda h: None if h is None else bytes.fromhex(h), deterministic=True)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    now = dt.datetime.now(dt.timezone.utc)
    created = ts(now - dt.timedelta(days=5 * 365))
    n_companies, n_buildings, n_residents = 40, max(500, n // 50), max(200, n // 50)

    existing = db.execute("SELECT count(*) FROM organisations WHERE kind='management_company'").fetchone()[0]
    db.executemany("INSERT INTO organisations (id, kind, name, inn, phone, email, is_test, created_at) "
                   "VALUES (?, 'management_company', ?, ?, NULL, NULL, 0, ?)",
                   [(uuid.uuid4().bytes, f"ООО «УК Нагрузка-{g}»", str(8602900000 + g), created)
                    for g in range(1, max(0, n_companies - existing) + 1)])
    companies = [r[0] for r in db.execute("SELECT id FROM organisations WHERE kind='management_company' "
                                          "ORDER BY created_at, id")]
    # Skewed as in seed_postgres.sql: buildings (and with them complaints) go to the company of rank
    # k with weight 1/k, rank 1 being company@demo.test's (the bench's company queue).
    demo = db.execute("SELECT organisation_id FROM users WHERE login='company@demo.test'").fetchone()
    ranked = sorted(companies, key=lambda c: c != (demo[0] if demo else None))
    weights = [1 / (k + 1) for k in range(len(ranked))]
    existing = db.execute("SELECT count(*) FROM buildings").fetchone()[0]
    rows = []
    for g in range(1, max(0, n_buildings - existing) + 1):
        bid, cid = uuid.uuid4().bytes, rng.choices(ranked, weights)[0]
        rows.append((bid, f"г. Сургут, {STREETS[g % len(STREETS)]}, д. {g // 8 + 1}, стр. {g}",
                     DISTRICTS[g % len(DISTRICTS)], 61.22 + (g % 150) * 0.0005, 73.33 + (g // 150 % 150) * 0.0009,
                     cid, created))
    db.executemany("INSERT INTO buildings (id, address, district, fias_id, latitude, longitude, company_id, "
                   "is_test, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, 0, ?)", rows)
    db.executemany("INSERT INTO building_management (id, building_id, company_id, since, until) "
                   "VALUES (?, ?, ?, ?, NULL)", [(uuid.uuid4().bytes, r[0], r[5], created) for r in rows])
    hash_ = db.execute("SELECT password_hash FROM users WHERE login='resident@demo.test'").fetchone()[0]
    # Each resident with their person (issue 14: personal data in one place, migration 000110),
    # its id the account's.
    residents = [(uuid.uuid4().bytes, g) for g in range(1, n_residents + 1)]
    db.executemany("INSERT INTO persons (id, name, phone, email, is_test, is_account, created_at, updated_at) "
                   "VALUES (?, ?, ?, NULL, 0, 1, ?, ?)",
                   [(rid, f"Житель Нагрузочный {g}", f"+7923{g:07d}", created, created) for rid, g in residents])
    db.executemany("INSERT INTO users (id, person_id, login, role, organisation_id, password_hash, "
                   "is_active, is_test, created_at) VALUES (?, ?, ?, 'resident', NULL, ?, 1, 0, ?)",
                   [(rid, rid, f"resident{g}@bench.test", hash_, created) for rid, g in residents])
    buildings = db.execute("SELECT id, company_id, address FROM buildings").fetchall()
    residents = db.execute("SELECT id, person_id FROM users WHERE role='resident'").fetchall()
    cats = db.execute("SELECT id, code, deadline_unit, deadline_value, emergency FROM categories "
                      "WHERE is_active ORDER BY code").fetchall()
    seq = {}
    for name, value in db.execute("SELECT name, value FROM counters"):
        seq[name] = value
    complaints, events = [], []
    step = dt.timedelta(days=365) / n
    for g in range(1, n + 1):
        reg = now - dt.timedelta(days=365) + step * g - dt.timedelta(minutes=rng.random() * 20)
        age, u = now - reg, rng.random()
        if age < dt.timedelta(days=3):
            status = ("registered" if u < .45 else "in_progress" if u < .75 else "awaiting_verification"
                      if u < .85 else "needs_routing" if u < .88 else "withdrawn" if u < .90 else "closed")
        elif age < dt.timedelta(days=30):
            status = ("registered" if u < .04 else "in_progress" if u < .18 else "awaiting_verification"
                      if u < .28 else "under_inspection" if u < .31 else "needs_routing" if u < .32 else "closed"
                      if u < .85 else "closed_unconfirmed" if u < .93 else "withdrawn" if u < .97 else "rejected")
        else:
            status = ("in_progress" if u < .005 else "closed" if u < .83 else "closed_unconfirmed" if u < .93
                      else "withdrawn" if u < .97 else "rejected")
        b = buildings[rng.randrange(len(buildings))]
        r = residents[rng.randrange(len(residents))]
        cat = cats[rng.randrange(len(cats))]
        year = reg.astimezone(SURGUT).year
        key = f"complaint_number_{year}"
        seq[key] = seq.get(key, 0) + 1
        number = f"СУР-{year}-{seq[key]:06d}"
        unit, value = cat[2], cat[3]
        deadline = (dt.timedelta(hours=value) if unit == "hours" else
                    dt.timedelta(days=value * 7 / 5) if unit == "working_days" else dt.timedelta(days=value))
        steps = {"registered": 1, "needs_routing": 1, "in_progress": 2, "withdrawn": 2, "rejected": 2,
                 "awaiting_verification": 3}.get(status, 4)
        company = None if status == "needs_routing" else b[1]
        due = None if status == "needs_routing" else reg + deadline
        desc = f"{TEXTS[g % len(TEXTS)]} (заявка нагрузочного теста {g})"
        cid = uuid.uuid4().bytes
        closed = status in ("closed", "closed_unconfirmed", "withdrawn", "rejected")
        complaints.append((
            cid, number, status, 1, int(bool(cat[4])), r[0], r[0], r[1], None, None, b[0],
            str(g % 300 + 1), company, cat[0], desc, f"{number} {desc} {b[2]}".lower(), ts(reg),
            ts(due) if due else None, ts(reg + dt.timedelta(days=30)), None, 0,
            f"Бригада №{g % 40 + 1}" if steps >= 2 and status not in ("withdrawn", "rejected") else None,
            None, int(status in ("registered", "in_progress") and due is not None and due < now),
            ts(reg + dt.timedelta(hours=7 * steps)) if closed else None,
            ts(reg + dt.timedelta(hours=7 * (steps - 1))), steps, 0))
        company_s = str(uuid.UUID(bytes=company)) if company else None
        chain = [("registered", "resident", None, "needs_routing" if status == "needs_routing" else "registered",
                  {"description": desc})]
        if steps >= 2:
            kind = {"withdrawn": "withdraw", "rejected": "reject"}.get(status, "accept")
            role = {"withdrawn": "resident", "rejected": "dispatcher"}.get(status, "company")
            to = status if status in ("withdrawn", "rejected") else "in_progress"
            chain.append((kind, role, "registered", to, {"reason": "duplicate"} if kind == "reject" else {}))
        if steps >= 3:
            chain.append(("report_done", "company", "in_progress", "awaiting_verification",
                          {"execution_due_at": ts(due) if due else None,
                           "on_time": bool(due and reg + dt.timedelta(hours=14) <= due)}))
        if steps >= 4:
            outcome = {"closed": "satisfied", "under_inspection": "not_done"}.get(status, "no_answer")
            chain.append(("record_call", "dispatcher", "awaiting_verification", status, {"outcome": outcome}))
        for i, (kind, role, frm, to, extra) in enumerate(chain):
            payload = {"company_id": company_s, "round": 1, "urgent": bool(cat[4]), **extra}
            events.append((uuid.uuid4().bytes, cid, kind, r[0] if role == "resident" else None, role, frm, to,
                           1, ts(reg + dt.timedelta(hours=7 * i)), None,
                           json.dumps({k: v for k, v in payload.items() if v is not None}, ensure_ascii=False)))
    db.executemany(
        "INSERT INTO complaints (id, number, status, round, urgent, author_id, filed_by, applicant_id, "
        "consent_version, pin_hash, building_id, flat, company_id, category_id, description, "
        "search_text, registered_at, due_at, answer_due_at, paused_since, unanswered_calls, executor, order_id, "
        "overdue, closed_at, updated_at, version, is_test) VALUES (" + ", ".join("?" * 28) + ")", complaints)
    db.executemany(
        "INSERT INTO complaint_events (id, complaint_id, kind, actor_id, actor_role, from_status, "
        "to_status, round, at, comment, payload) VALUES (" + ", ".join("?" * 11) + ")", events)
    db.executemany("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                   "value = max(counters.value, excluded.value)", list(seq.items()))
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    print(f"seeded {n} complaints, {len(events)} events, {len(buildings)} buildings, "
          f"{len(companies)} companies in {time.monotonic() - t0:.1f} s")


if __name__ == "__main__":
    main()

-- Loads a realistic city into a PostgreSQL database that `dispatch migrate` created and
-- `dispatch serve` with APP_DEMO=true filled with the demo city (users, categories, 4 companies).
--
--   psql "$URL" -v complaints=1000000 -v companies=200 -v buildings=20000 -v residents=20000 \
--        -f bench/seed/seed_postgres.sql
--
-- Everything is generated inside PostgreSQL (generate_series + INSERT … SELECT), no driver.
-- Rows follow the schema and the lifecycle the app writes: a complaint's `version` equals its
-- number of events; the chain of events leads to its status; numbers are СУР-<year>-NNNNNN per
-- local (Surgut, UTC+5) year; `search_text` is lower-cased number + description + address; the
-- counters row is moved past the largest number so that new complaints do not collide.
\set ON_ERROR_STOP 1
\timing on

BEGIN;
-- Consistency holds by construction; skip per-row FK triggers for the bulk load.
SET LOCAL session_replication_role = replica;
SET LOCAL synchronous_commit = off;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '512MB';

-- Management companies up to :companies.
INSERT INTO organisations (id, kind, name, inn, phone, email, is_test, created_at)
SELECT gen_random_uuid(), 'management_company',
       'ООО «УК Нагрузка-' || g || '»', (8602900000 + g)::text, '+7346' || lpad(g::text, 6, '0'),
       'uk' || g || '@bench.test', false, now() - interval '5 years'
FROM generate_series(1, greatest(0, :companies -
       (SELECT count(*) FROM organisations WHERE kind = 'management_company'))) AS g;

CREATE TEMP TABLE co ON COMMIT DROP AS
SELECT id, (row_number() OVER (ORDER BY created_at, id) - 1)::int AS idx
FROM organisations WHERE kind = 'management_company';

-- Buildings up to :buildings, spread over the companies.
INSERT INTO buildings (id, address, district, fias_id, latitude, longitude, company_id, is_test, created_at)
SELECT gen_random_uuid(),
       'г. Сургут, ' || (ARRAY['улица Энергетиков','проспект Мира','улица 30 лет Победы',
         'улица Университетская','Югорский тракт','улица Федорова','проспект Пролетарский',
         'улица Маяковского','улица Губкина','улица Профсоюзов','Набережная Ивана Кайдалова',
         'улица Грибоедова'])[1 + g % 12] || ', д. ' || (g / 12 + 1) || ', стр. ' || g,
       (ARRAY['Центральный','Северный жилой','Восточный','Западный','Северо-восточный',
         'Северный промышленный'])[1 + g % 6],
       NULL, 61.22 + (g % 150) * 0.0005, 73.33 + (g / 150 % 150) * 0.0009,
       co.id, false, now() - interval '5 years'
FROM generate_series(1, greatest(0, :buildings - (SELECT count(*) FROM buildings))) AS g
JOIN co ON co.idx = g % (SELECT count(*) FROM co);

INSERT INTO building_management (id, building_id, company_id, since, until)
SELECT gen_random_uuid(), b.id, b.company_id, b.created_at, NULL
FROM buildings b
WHERE b.company_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM building_management m WHERE m.building_id = b.id);

-- Residents (password demo2026: the demo resident's hash is reused).
INSERT INTO users (id, login, name, phone, email, role, organisation_id, password_hash, is_active, is_test, created_at)
SELECT gen_random_uuid(), 'resident' || g || '@bench.test', 'Житель Нагрузочный ' || g,
       '+7923' || lpad(g::text, 7, '0'), NULL, 'resident', NULL,
       (SELECT password_hash FROM users WHERE login = 'resident@demo.test'), true, false,
       now() - interval '2 years'
FROM generate_series(1, :residents) AS g;
-- Each resident's person (issue 14: personal data in one place), its id the account's.
INSERT INTO persons (id, name, phone, email, is_test, created_at, updated_at)
SELECT id, name, phone, email, false, created_at, created_at
FROM users WHERE role = 'resident' AND person_id IS NULL;
UPDATE users SET person_id = id WHERE role = 'resident' AND person_id IS NULL;

CREATE TEMP TABLE bl ON COMMIT DROP AS
SELECT id, company_id, address, (row_number() OVER (ORDER BY id) - 1)::int AS idx FROM buildings;
CREATE TEMP TABLE rs ON COMMIT DROP AS
SELECT id, person_id, (row_number() OVER (ORDER BY id) - 1)::int AS idx FROM users WHERE role = 'resident';
CREATE TEMP TABLE cat ON COMMIT DROP AS
SELECT id, code, deadline_unit, deadline_value, emergency,
       (row_number() OVER (ORDER BY code) - 1)::int AS idx FROM categories WHERE is_active;
CREATE UNIQUE INDEX ON bl (idx);
CREATE UNIQUE INDEX ON rs (idx);
ANALYZE bl; ANALYZE rs; ANALYZE cat;

-- The plan of each complaint: when, where, what, and where its lifecycle got to.
CREATE TEMP TABLE plan ON COMMIT DROP AS
WITH base AS (
  SELECT g,
         -- evenly over the last 365 days, oldest first, with a little jitter
         now() - interval '365 days' + (g::float8 / :complaints) * interval '365 days'
           - random() * interval '20 minutes' AS reg,
         random() AS u,
         (hashint4(g) & 2147483647) AS h
  FROM generate_series(1, :complaints) AS g
)
SELECT g, reg, u,
       (h % (SELECT count(*) FROM bl))::int AS b_idx,
       ((h / 7) % (SELECT count(*) FROM rs))::int AS r_idx,
       ((h / 13) % (SELECT count(*) FROM cat))::int AS c_idx,
       CASE
         WHEN now() - reg < interval '3 days' THEN
           CASE WHEN u < .45 THEN 'registered' WHEN u < .75 THEN 'in_progress'
                WHEN u < .85 THEN 'awaiting_verification' WHEN u < .88 THEN 'needs_routing'
                WHEN u < .90 THEN 'withdrawn' ELSE 'closed' END
         WHEN now() - reg < interval '30 days' THEN
           CASE WHEN u < .04 THEN 'registered' WHEN u < .18 THEN 'in_progress'
                WHEN u < .28 THEN 'awaiting_verification' WHEN u < .31 THEN 'under_inspection'
                WHEN u < .32 THEN 'needs_routing' WHEN u < .85 THEN 'closed'
                WHEN u < .93 THEN 'closed_unconfirmed' WHEN u < .97 THEN 'withdrawn' ELSE 'rejected' END
         ELSE
           CASE WHEN u < .005 THEN 'in_progress' WHEN u < .83 THEN 'closed'
                WHEN u < .93 THEN 'closed_unconfirmed' WHEN u < .97 THEN 'withdrawn' ELSE 'rejected' END
       END AS status
FROM base;

CREATE TEMP TABLE numbered ON COMMIT DROP AS
SELECT p.*,
       extract(year FROM p.reg AT TIME ZONE 'Asia/Yekaterinburg')::int AS yr,
       row_number() OVER (PARTITION BY extract(year FROM p.reg AT TIME ZONE 'Asia/Yekaterinburg')
                          ORDER BY p.reg, p.g) AS seq,
       gen_random_uuid() AS id
FROM plan p;

INSERT INTO complaints (id, number, status, round, urgent, author_id, filed_by, applicant_id,
  consent_version, pin_hash, building_id, flat, company_id, category_id,
  description, search_text, registered_at, due_at, answer_due_at, paused_since, unanswered_calls,
  executor, order_id, overdue, closed_at, updated_at, version, is_test)
SELECT n.id,
       'СУР-' || n.yr || '-' || lpad(n.seq::text, 6, '0'),
       n.status, 1, cat.emergency, rs.id, rs.id, rs.person_id, NULL, NULL,
       bl.id, ((n.g % 300) + 1)::text,
       CASE WHEN n.status = 'needs_routing' THEN NULL ELSE bl.company_id END,
       cat.id,
       d.description,
       lower('СУР-' || n.yr || '-' || lpad(n.seq::text, 6, '0') || ' ' || d.description || ' ' || bl.address),
       n.reg,
       CASE WHEN n.status = 'needs_routing' THEN NULL ELSE n.reg + dl.deadline END,
       n.reg + interval '30 days',
       NULL, 0,
       CASE WHEN n.status IN ('in_progress','awaiting_verification','closed','closed_unconfirmed','under_inspection')
            THEN 'Бригада №' || (n.g % 40 + 1) END,
       NULL,
       n.status IN ('registered','in_progress') AND n.reg + dl.deadline < now(),
       CASE WHEN n.status IN ('closed','closed_unconfirmed','withdrawn','rejected')
            THEN n.reg + st.steps * interval '7 hours' END,
       n.reg + (st.steps - 1) * interval '7 hours',
       st.steps,
       false
FROM numbered n
JOIN bl ON bl.idx = n.b_idx
JOIN rs ON rs.idx = n.r_idx
JOIN cat ON cat.idx = n.c_idx
CROSS JOIN LATERAL (SELECT CASE cat.deadline_unit
    WHEN 'hours' THEN cat.deadline_value * interval '1 hour'
    WHEN 'working_days' THEN cat.deadline_value * interval '1 day' * 7 / 5
    ELSE cat.deadline_value * interval '1 day' END AS deadline) dl
CROSS JOIN LATERAL (SELECT CASE n.status
    WHEN 'registered' THEN 1 WHEN 'needs_routing' THEN 1
    WHEN 'in_progress' THEN 2 WHEN 'withdrawn' THEN 2 WHEN 'rejected' THEN 2
    WHEN 'awaiting_verification' THEN 3
    ELSE 4 END AS steps) st
CROSS JOIN LATERAL (SELECT (ARRAY['Нет горячей воды в квартире','Течёт крыша над подъездом',
    'Не работает лифт','Засор мусоропровода на этаже','Протечка в ванной с верхнего этажа',
    'Не убран снег у подъезда','Разбито окно в подъезде','Холодные батареи',
    'Отваливается штукатурка на фасаде','Не закрывается входная дверь'])[1 + n.g % 10]
    || ' (заявка нагрузочного теста ' || n.g || ')' AS description) d;

-- The events: registered, then accept → report_done → record_call, or withdraw / reject.
INSERT INTO complaint_events (id, complaint_id, kind, actor_id, actor_role, on_behalf_of,
  from_status, to_status, round, at, comment, payload)
SELECT gen_random_uuid(), c.id, e.kind,
       CASE e.role WHEN 'resident' THEN c.author_id END,
       e.role, NULL, e.from_status, e.to_status, 1,
       c.registered_at + (s.step - 1) * interval '7 hours', NULL,
       jsonb_strip_nulls(jsonb_build_object('company_id', c.company_id, 'round', 1, 'urgent', c.urgent)
         || e.extra)
FROM complaints c
CROSS JOIN LATERAL generate_series(1, c.version::int) AS s(step)
CROSS JOIN LATERAL (SELECT * FROM (VALUES
    -- step, kind, role, from, to, payload extras
    (1, 'registered', 'resident', NULL,
        CASE WHEN c.status = 'needs_routing' THEN 'needs_routing' ELSE 'registered' END,
        jsonb_build_object('description', c.description,
          'category', (SELECT code FROM categories WHERE id = c.category_id))),
    (2, CASE c.status WHEN 'withdrawn' THEN 'withdraw' WHEN 'rejected' THEN 'reject' ELSE 'accept' END,
        CASE c.status WHEN 'withdrawn' THEN 'resident' WHEN 'rejected' THEN 'dispatcher' ELSE 'company' END,
        'registered',
        CASE c.status WHEN 'withdrawn' THEN 'withdrawn' WHEN 'rejected' THEN 'rejected' ELSE 'in_progress' END,
        CASE c.status WHEN 'rejected' THEN jsonb_build_object('reason', 'duplicate') ELSE '{}'::jsonb END),
    (3, 'report_done', 'company', 'in_progress', 'awaiting_verification',
        jsonb_build_object('execution_due_at', c.due_at, 'on_time', (c.registered_at + interval '14 hours') <= c.due_at)),
    (4, 'record_call', 'dispatcher', 'awaiting_verification', c.status,
        jsonb_build_object('outcome', CASE c.status WHEN 'closed' THEN 'satisfied'
          WHEN 'under_inspection' THEN 'not_done' ELSE 'no_answer' END))
  ) AS v(step, kind, role, from_status, to_status, extra) WHERE v.step = s.step) AS e;

-- New numbers must not collide with the seeded ones.
INSERT INTO counters (name, value)
SELECT 'complaint_number_' || yr, max(seq) FROM numbered GROUP BY yr
ON CONFLICT (name) DO UPDATE SET value = greatest(counters.value, excluded.value);

COMMIT;

VACUUM ANALYZE organisations;
VACUUM ANALYZE buildings;
VACUUM ANALYZE users;
VACUUM ANALYZE complaints;
VACUUM ANALYZE complaint_events;
VACUUM ANALYZE counters;

SELECT 'seeded' AS what,
       (SELECT count(*) FROM organisations WHERE kind = 'management_company') AS companies,
       (SELECT count(*) FROM buildings) AS buildings,
       (SELECT count(*) FROM users) AS users,
       (SELECT count(*) FROM complaints) AS complaints,
       (SELECT count(*) FROM complaint_events) AS events;

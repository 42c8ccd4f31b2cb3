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
--
-- Shaped like a real city (issue 18): buildings, and with them complaints, are spread over the
-- companies by a Zipf law (the company of rank k gets a share ∝ 1/k: the top 5 % of 200 companies
-- hold about half), and rank 1 is the company of `company@demo.test`, so the bench's company queue
-- is one of the biggest. Each complaint follows one of 16 lifecycle paths chosen by its age (recent
-- ones open, old ones closed): second rounds after an unsatisfied call, inspections with and without
-- a violation, orders (complied with or not), fines, withdrawals, rejections, needs_routing. Its
-- events follow the path step by step (from/to statuses, rounds); inspection acts, orders and fines
-- are rows of their own; the last 30 days' events have their (delivered) outbox rows. Ids are
-- time-ordered (UUIDv7-like, from the row's own time), as the API writes them.
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

-- Rank 0 is the company of company@demo.test (the bench's company queue); the share of rank k
-- (from 0) is (1/(k+1)) / H(n), cumulated into [lo, hi) for the buildings below.
CREATE TEMP TABLE co ON COMMIT DROP AS
WITH ranked AS (
  SELECT id, (row_number() OVER (ORDER BY id IS NOT DISTINCT FROM
                (SELECT organisation_id FROM users WHERE login = 'company@demo.test') DESC,
              created_at, id) - 1)::int AS idx
  FROM organisations WHERE kind = 'management_company'),
w AS (SELECT id, idx, 1.0 / (idx + 1) / sum(1.0 / (idx + 1)) OVER () AS share FROM ranked)
SELECT id, idx, share, sum(share) OVER (ORDER BY idx) - share AS lo, sum(share) OVER (ORDER BY idx) AS hi FROM w;

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
-- building g's place in [0, 1), scattered (not in order of g), falls into one company's share
CROSS JOIN LATERAL (SELECT ((hashint4(g::int) & 2147483647) % 1000003) / 1000003.0 AS x) pos
JOIN co ON pos.x >= co.lo AND pos.x < co.hi;

INSERT INTO building_management (id, building_id, company_id, since, until)
SELECT gen_random_uuid(), b.id, b.company_id, b.created_at, NULL
FROM buildings b
WHERE b.company_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM building_management m WHERE m.building_id = b.id);

-- Residents (password demo2026: the demo resident's hash is reused), each with their person
-- (issue 14: personal data in one place, migration 000110), its id the account's.
CREATE TEMP TABLE new_residents ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, g FROM generate_series(1, :residents) AS g;
INSERT INTO persons (id, name, phone, email, is_test, is_account, created_at, updated_at)
SELECT id, 'Житель Нагрузочный ' || g, '+7923' || lpad(g::text, 7, '0'), NULL, false, true,
       now() - interval '2 years', now() - interval '2 years'
FROM new_residents;
INSERT INTO users (id, person_id, login, role, organisation_id, password_hash, is_active, is_test, created_at)
SELECT id, id, 'resident' || g || '@bench.test', 'resident', NULL,
       (SELECT password_hash FROM users WHERE login = 'resident@demo.test'), true, false,
       now() - interval '2 years'
FROM new_residents;

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

-- The big tables' secondary indexes are dropped for the bulk load and built again, from their own
-- definitions, before COMMIT: one sort per index instead of a B-tree insert per row and index
-- (14 indexes on complaints). Those behind a constraint (primary keys, unique numbers) stay, and so
-- do the partial ones (only open complaints enter them; and a predicate rebuilt from its deparsed
-- text reads differently from the migration's, which the planner's predicate proofs might not match).
CREATE TEMP TABLE saved_index ON COMMIT DROP AS
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = 'public' AND i.tablename IN ('complaints', 'complaint_events', 'outbox')
  AND i.indexdef NOT LIKE '% WHERE %'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname);
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT indexname FROM saved_index LOOP EXECUTE format('DROP INDEX %I', r.indexname); END LOOP;
END $$;

-- The lifecycle paths: each step's event (kind, role, from → to, round, payload extras).
CREATE TEMP TABLE step ON COMMIT DROP AS
SELECT * FROM (VALUES
  -- path, step, kind, role, from_status, to_status, round, extra
  ('registered', 1, 'registered', 'resident', NULL, 'registered', 1, '{}'),
  ('needs_routing', 1, 'registered', 'resident', NULL, 'needs_routing', 1, '{}'),
  ('withdrawn', 1, 'registered', 'resident', NULL, 'registered', 1, '{}'),
  ('withdrawn', 2, 'withdraw', 'resident', 'registered', 'withdrawn', 1, '{}'),
  ('rejected', 1, 'registered', 'resident', NULL, 'registered', 1, '{}'),
  ('rejected', 2, 'reject', 'dispatcher', 'registered', 'rejected', 1, '{"reason": "not_housing_matter"}')
) AS v(path, step, kind, role, from_status, to_status, round, extra);
-- The paths through the work and the verification share their first steps.
INSERT INTO step
SELECT p.path, v.step, v.kind, v.role, v.from_status, v.to_status, v.round, v.extra
FROM (VALUES ('in_progress', 2), ('awaiting_verification', 3), ('closed', 4), ('closed_unconfirmed', 4),
             ('round2', 4), ('round2_awaiting', 5), ('round2_closed', 6), ('inspection', 4),
             ('inspection_closed', 5), ('order', 6), ('order_complied', 8), ('fined', 8)) AS p(path, upto)
JOIN (VALUES
  (1, 'registered', 'resident', NULL, 'registered', 1, '{}'),
  (2, 'accept', 'company', 'registered', 'in_progress', 1, '{}'),
  (3, 'report_done', 'company', 'in_progress', 'awaiting_verification', 1, '{}')
) AS v(step, kind, role, from_status, to_status, round, extra) ON v.step <= least(p.upto, 3);
INSERT INTO step (path, step, kind, role, from_status, to_status, round, extra) VALUES
  ('closed', 4, 'record_call', 'dispatcher', 'awaiting_verification', 'closed', 1, '{"outcome": "satisfied"}'),
  ('closed_unconfirmed', 4, 'record_call', 'dispatcher', 'awaiting_verification', 'closed_unconfirmed', 1, '{"outcome": "no_answer"}'),
  ('round2', 4, 'record_call', 'dispatcher', 'awaiting_verification', 'in_progress', 2, '{"outcome": "unsatisfied"}'),
  ('round2_awaiting', 4, 'record_call', 'dispatcher', 'awaiting_verification', 'in_progress', 2, '{"outcome": "unsatisfied"}'),
  ('round2_awaiting', 5, 'report_done', 'company', 'in_progress', 'awaiting_verification', 2, '{}'),
  ('round2_closed', 4, 'record_call', 'dispatcher', 'awaiting_verification', 'in_progress', 2, '{"outcome": "unsatisfied"}'),
  ('round2_closed', 5, 'report_done', 'company', 'in_progress', 'awaiting_verification', 2, '{}'),
  ('round2_closed', 6, 'record_call', 'dispatcher', 'awaiting_verification', 'closed', 2, '{"outcome": "satisfied"}');
-- The inspection's paths: a call finds the work not done, the inspection records its findings.
INSERT INTO step
SELECT p.path, v.step, v.kind, v.role, v.from_status, v.to_status, v.round, v.extra
FROM (VALUES ('inspection', 4), ('inspection_closed', 5), ('order', 6), ('order_complied', 8), ('fined', 8)) AS p(path, upto)
JOIN (VALUES
  (4, 'record_call', 'dispatcher', 'awaiting_verification', 'under_inspection', 1, '{"outcome": "not_done"}', false),
  (5, 'record_findings', 'inspector', 'under_inspection', 'closed', 1, '{"violation": false}', true),
  (5, 'record_findings', 'inspector', 'under_inspection', 'under_inspection', 1, '{"violation": true}', false),
  (6, 'issue_order', 'inspector', 'under_inspection', 'in_progress', 2, '{}', false)
) AS v(step, kind, role, from_status, to_status, round, extra, no_violation)
  ON v.step <= p.upto AND (v.step <> 5 OR v.no_violation = (p.path = 'inspection_closed'));
INSERT INTO step (path, step, kind, role, from_status, to_status, round, extra) VALUES
  ('order_complied', 7, 'report_done', 'company', 'in_progress', 'awaiting_verification', 2, '{}'),
  ('order_complied', 8, 'check_compliance', 'inspector', 'awaiting_verification', 'closed', 2, '{"complied": true}'),
  ('fined', 7, 'check_compliance', 'inspector', 'in_progress', 'under_inspection', 2, '{"complied": false}'),
  ('fined', 8, 'record_fine', 'inspector', 'under_inspection', 'under_inspection', 2, '{}');
CREATE TEMP TABLE path ON COMMIT DROP AS
SELECT path, count(*)::int AS steps, max(round) AS round,
       (array_agg(to_status ORDER BY step DESC))[1] AS status,
       bool_or(kind = 'issue_order') AS has_order, bool_or(kind = 'record_findings') AS has_act,
       bool_or(kind = 'record_fine') AS has_fine, bool_or(kind = 'accept') AS accepted,
       bool_or(kind = 'record_findings' AND extra::jsonb @> '{"violation": true}') AS violation
FROM step GROUP BY path;

-- Which path, by age: [lo, hi) of a uniform draw. Recent complaints are mostly open, a month's
-- mostly verified, older ones closed (a few still in work or with the inspection).
CREATE TEMP TABLE mix ON COMMIT DROP AS
SELECT age, path, coalesce(sum(p) OVER (PARTITION BY age ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS lo,
       sum(p) OVER (PARTITION BY age ORDER BY ord) AS hi
FROM (VALUES
  (0, 1, 'registered', .40), (0, 2, 'in_progress', .25), (0, 3, 'awaiting_verification', .10),
  (0, 4, 'needs_routing', .03), (0, 5, 'withdrawn', .02), (0, 6, 'closed', .08), (0, 7, 'round2', .04),
  (0, 8, 'inspection', .03), (0, 9, 'rejected', .02), (0, 10, 'closed_unconfirmed', .03),
  (1, 1, 'registered', .03), (1, 2, 'in_progress', .10), (1, 3, 'awaiting_verification', .08),
  (1, 4, 'needs_routing', .01), (1, 5, 'inspection', .03), (1, 6, 'order', .03), (1, 7, 'round2', .03),
  (1, 8, 'round2_awaiting', .02), (1, 9, 'closed', .45), (1, 10, 'round2_closed', .05),
  (1, 11, 'inspection_closed', .02), (1, 12, 'closed_unconfirmed', .07), (1, 13, 'withdrawn', .04),
  (1, 14, 'rejected', .03), (1, 15, 'fined', .01),
  (2, 1, 'in_progress', .004), (2, 2, 'inspection', .002), (2, 3, 'fined', .004), (2, 4, 'closed', .64),
  (2, 5, 'round2_closed', .08), (2, 6, 'inspection_closed', .03), (2, 7, 'order_complied', .03),
  (2, 8, 'closed_unconfirmed', .10), (2, 9, 'withdrawn', .05), (2, 10, 'rejected', .06)
) AS v(age, ord, path, p);

-- The plan of each complaint: when, where, what, and which path its lifecycle took.
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
SELECT b.g, b.reg, b.u,
       (b.h % (SELECT count(*) FROM bl))::int AS b_idx,
       ((b.h / 7) % (SELECT count(*) FROM rs))::int AS r_idx,
       ((b.h / 13) % (SELECT count(*) FROM cat))::int AS c_idx,
       m.path
FROM base b
JOIN mix m ON m.age = CASE WHEN now() - b.reg < interval '3 days' THEN 0
                           WHEN now() - b.reg < interval '30 days' THEN 1 ELSE 2 END
          AND b.u >= m.lo AND (b.u < m.hi OR m.hi >= 0.999);

CREATE TEMP TABLE numbered ON COMMIT DROP AS
SELECT p.*, pa.status, pa.steps, pa.round, pa.has_order, pa.has_act, pa.has_fine, pa.accepted, pa.violation,
       extract(year FROM p.reg AT TIME ZONE 'Asia/Yekaterinburg')::int AS yr,
       row_number() OVER (PARTITION BY extract(year FROM p.reg AT TIME ZONE 'Asia/Yekaterinburg')
                          ORDER BY p.reg, p.g) AS seq,
       -- time-ordered, as the API's ids: the registration's milliseconds, version 7, random bits
       (substr(t.h, 1, 8) || '-' || substr(t.h, 9, 4) || '-7' || substr(gen_random_uuid()::text, 16))::uuid AS id,
       CASE WHEN pa.has_order THEN gen_random_uuid() END AS order_id
FROM plan p
JOIN path pa ON pa.path = p.path
CROSS JOIN LATERAL (SELECT lpad(to_hex(floor(extract(epoch FROM p.reg) * 1000)::bigint), 12, '0') AS h) t;

INSERT INTO complaints (id, number, status, round, urgent, author_id, filed_by, applicant_id,
  consent_version, pin_hash, building_id, flat, company_id, category_id,
  description, search_text, registered_at, due_at, answer_due_at, paused_since, unanswered_calls,
  executor, order_id, overdue, closed_at, updated_at, version, is_test,
  violation_found)
SELECT n.id,
       'СУР-' || n.yr || '-' || lpad(n.seq::text, greatest(6, length(n.seq::text)), '0'),
       n.status, n.round, cat.emergency OR n.round > 1, rs.id, rs.id, rs.person_id, NULL, NULL,
       bl.id, ((n.g % 300) + 1)::text,
       CASE WHEN n.status = 'needs_routing' THEN NULL ELSE bl.company_id END,
       cat.id,
       d.description,
       lower('СУР-' || n.yr || '-' || lpad(n.seq::text, greatest(6, length(n.seq::text)), '0') || ' ' || d.description || ' ' || bl.address),
       n.reg,
       CASE WHEN n.status = 'needs_routing' THEN NULL WHEN n.round > 1 THEN lt.last_at + dl.deadline
            ELSE n.reg + dl.deadline END,
       n.reg + interval '30 days',
       NULL, 0,
       CASE WHEN n.accepted AND n.status NOT IN ('withdrawn', 'rejected') THEN 'Бригада №' || (n.g % 40 + 1) END,
       n.order_id,
       n.status IN ('registered','in_progress') AND n.reg + dl.deadline < now(),
       CASE WHEN n.status IN ('closed','closed_unconfirmed','withdrawn','rejected') THEN lt.last_at END,
       lt.last_at,
       n.steps,
       false,
       n.violation
FROM numbered n
JOIN bl ON bl.idx = n.b_idx
JOIN rs ON rs.idx = n.r_idx
JOIN cat ON cat.idx = n.c_idx
CROSS JOIN LATERAL (SELECT n.reg + (n.steps - 1) * interval '7 hours' AS last_at) lt
CROSS JOIN LATERAL (SELECT CASE cat.deadline_unit
    WHEN 'hours' THEN cat.deadline_value * interval '1 hour'
    WHEN 'working_days' THEN cat.deadline_value * interval '1 day' * 7 / 5
    ELSE cat.deadline_value * interval '1 day' END AS deadline) dl
CROSS JOIN LATERAL (SELECT (ARRAY['Нет горячей воды в квартире','Течёт крыша над подъездом',
    'Не работает лифт','Засор мусоропровода на этаже','Протечка в ванной с верхнего этажа',
    'Не убран снег у подъезда','Разбито окно в подъезде','Холодные батареи',
    'Отваливается штукатурка на фасаде','Не закрывается входная дверь'])[1 + n.g % 10]
    || ' (заявка нагрузочного теста ' || n.g || ')' AS description) d;

-- The fine for an order not complied with (КоАП РФ 19.5 ч.24 when the register has it).
CREATE TEMP TABLE fa ON COMMIT DROP AS
SELECT code, legal_entity_min AS amount, 'КоАП РФ ст. ' || code AS basis FROM fine_articles
ORDER BY code = '19.5 ч.24' DESC, code LIMIT 1;

-- The actors of the city's side (the demo city's accounts).
CREATE TEMP TABLE actor ON COMMIT DROP AS
SELECT (SELECT id FROM users WHERE login = 'dispatcher@demo.test') AS dispatcher,
       (SELECT id FROM users WHERE login = 'inspector@demo.test') AS inspector;

-- The events, step by step along each complaint's path, 7 hours apart.
INSERT INTO complaint_events (id, complaint_id, kind, actor_id, actor_role,
  from_status, to_status, round, at, comment, payload)
SELECT (substr(t.h, 1, 8) || '-' || substr(t.h, 9, 4) || '-7' || substr(gen_random_uuid()::text, 16))::uuid,
       n.id, s.kind,
       CASE s.role WHEN 'resident' THEN rs.id WHEN 'inspector' THEN a.inspector
                   WHEN 'dispatcher' THEN a.dispatcher END,
       s.role,
       CASE WHEN s.step = 1 THEN NULL ELSE s.from_status END,
       CASE WHEN s.step = 1 AND n.status = 'needs_routing' THEN 'needs_routing' ELSE s.to_status END,
       s.round, e.at,
       CASE s.kind WHEN 'record_findings' THEN 'Проверка на месте' WHEN 'issue_order' THEN 'Устранить в срок' END,
       jsonb_strip_nulls(jsonb_build_object('company_id', CASE WHEN n.status <> 'needs_routing' THEN bl.company_id END,
                                            'round', s.round)
         || s.extra::jsonb
         || CASE s.kind WHEN 'registered' THEN jsonb_build_object('category', cat.code,
                                                   'urgent', cat.emergency)
                        WHEN 'issue_order' THEN jsonb_build_object('order_id', n.order_id,
                                                   'order_due_at', e.at + interval '14 days')
                        WHEN 'check_compliance' THEN jsonb_build_object('order_id', n.order_id)
                        WHEN 'report_done' THEN jsonb_build_object('execution_due_at', e.at + interval '1 day',
                                                   'on_time', true)
                        WHEN 'record_fine' THEN jsonb_build_object('order_id', n.order_id, 'amount_rub', fa.amount,
                                                   'legal_basis', fa.basis, 'article', fa.code,
                                                   'offender', 'legal_entity')
                        ELSE '{}'::jsonb END)
FROM numbered n
JOIN step s ON s.path = n.path
JOIN bl ON bl.idx = n.b_idx
JOIN rs ON rs.idx = n.r_idx
JOIN cat ON cat.idx = n.c_idx
CROSS JOIN actor a
CROSS JOIN fa
CROSS JOIN LATERAL (SELECT n.reg + (s.step - 1) * interval '7 hours' AS at) e
CROSS JOIN LATERAL (SELECT lpad(to_hex(floor(extract(epoch FROM e.at) * 1000)::bigint), 12, '0') AS h) t;

-- The inspection's papers: an act per findings, an order per issue_order, a fine per record_fine;
-- numbered per year from 1 like the API's (А-2026-00001, П-2026-00001).
INSERT INTO inspection_acts (id, number, complaint_id, company_id, violation, findings, inspector_id,
  recorded_at, is_test)
SELECT gen_random_uuid(),
       'А-' || extract(year FROM ev.at AT TIME ZONE 'Asia/Yekaterinburg')::int || '-' ||
         lpad((row_number() OVER w)::text, greatest(5, length((row_number() OVER w)::text)), '0'),
       ev.complaint_id, (ev.payload->>'company_id')::uuid, (ev.payload->>'violation')::boolean,
       'Проверка на месте', ev.actor_id, ev.at, false
FROM complaint_events ev
JOIN numbered n ON n.id = ev.complaint_id AND n.has_act
WHERE ev.kind = 'record_findings'
WINDOW w AS (PARTITION BY extract(year FROM ev.at AT TIME ZONE 'Asia/Yekaterinburg') ORDER BY ev.at, ev.id);
INSERT INTO orders (id, complaint_id, company_id, text, due_at, complied, issued_by, issued_at, checked_at,
  is_test, number)
SELECT n.order_id, ev.complaint_id, (ev.payload->>'company_id')::uuid, 'Устранить в срок',
       ev.at + interval '14 days',
       CASE n.path WHEN 'order_complied' THEN true WHEN 'fined' THEN false END,
       ev.actor_id, ev.at,
       CASE WHEN n.path IN ('order_complied', 'fined') THEN ev.at + interval '14 hours' END, false,
       'П-' || extract(year FROM ev.at AT TIME ZONE 'Asia/Yekaterinburg')::int || '-' ||
         lpad((row_number() OVER w)::text, greatest(5, length((row_number() OVER w)::text)), '0')
FROM complaint_events ev
JOIN numbered n ON n.id = ev.complaint_id AND n.has_order
WHERE ev.kind = 'issue_order'
WINDOW w AS (PARTITION BY extract(year FROM ev.at AT TIME ZONE 'Asia/Yekaterinburg') ORDER BY ev.at, ev.id);
INSERT INTO fines (id, complaint_id, order_id, company_id, amount_rub, legal_basis, recorded_by, recorded_at,
  is_test, article, offender)
SELECT gen_random_uuid(), ev.complaint_id, n.order_id, (ev.payload->>'company_id')::uuid,
       (ev.payload->>'amount_rub')::bigint, ev.payload->>'legal_basis', ev.actor_id, ev.at, false,
       ev.payload->>'article', 'legal_entity'
FROM complaint_events ev
JOIN numbered n ON n.id = ev.complaint_id AND n.has_fine
WHERE ev.kind = 'record_fine';
INSERT INTO counters (name, value)
SELECT 'act_number_' || extract(year FROM recorded_at AT TIME ZONE 'Asia/Yekaterinburg')::int, count(*)
FROM inspection_acts GROUP BY 1
UNION ALL
SELECT 'order_number_' || extract(year FROM issued_at AT TIME ZONE 'Asia/Yekaterinburg')::int, count(*)
FROM orders WHERE number IS NOT NULL GROUP BY 1
ON CONFLICT (name) DO UPDATE SET value = greatest(counters.value, excluded.value);

-- The outbox as the worker leaves it: one message per event of the last 30 days, delivered.
INSERT INTO outbox (id, topic, complaint_id, payload, created_at, delivered_at, claimed_until, attempts)
SELECT ev.id, 'complaint.' || ev.kind, ev.complaint_id,
       jsonb_build_object('kind', ev.kind, 'from', ev.from_status, 'to', ev.to_status, 'round', ev.round,
                          'complaint_id', ev.complaint_id),
       ev.at, ev.at + interval '2 seconds', NULL, 1
FROM complaint_events ev
WHERE ev.at > now() - interval '30 days';

-- Legal clocks (issue 15), as filing starts them: two a complaint routed to a company, the answer
-- (for an emergency, the localisation) and the fix. A clock of a complaint past that step is met
-- (one in five fixes late: met after its due time, and missed); one still running past its due
-- time is missed; one of a complaint withdrawn or rejected before is stopped.
INSERT INTO complaint_clocks (id, complaint_id, code, round, basis, started_at, due_at, paused_at,
  paused_seconds, met_at, missed_at, stopped_at)
SELECT gen_random_uuid(), c.id, v.code, 1, v.basis, c.registered_at, v.due, NULL, 0, m.met_at,
       CASE WHEN m.met_at > v.due OR (m.met_at IS NULL AND v.running AND v.due < now()) THEN v.due END,
       CASE WHEN m.met_at IS NULL AND NOT v.running THEN c.closed_at END
FROM complaints c
CROSS JOIN LATERAL (VALUES
  (CASE WHEN c.urgent THEN 'localise' ELSE 'answer' END,
   CASE WHEN c.urgent THEN 'ПП 416 п. 13' ELSE 'ПП 354 п. 31' END,
   c.registered_at + CASE WHEN c.urgent THEN interval '30 minutes' ELSE interval '3 days' END,
   c.status NOT IN ('registered', 'needs_routing', 'withdrawn', 'rejected'),
   c.status IN ('registered', 'needs_routing'), 0.5),
  ('fix', 'Срок категории', c.due_at,
   c.status IN ('awaiting_verification', 'closed', 'closed_unconfirmed'),
   c.status IN ('registered', 'in_progress', 'under_inspection', 'needs_routing'),
   0.4 + (get_byte(uuid_send(c.id), 0) % 5) * 0.2)
) AS v(code, basis, due, reached, running, share)
CROSS JOIN LATERAL (SELECT CASE WHEN v.reached
                                THEN c.registered_at + (v.due - c.registered_at) * v.share END AS met_at) AS m
WHERE c.company_id IS NOT NULL AND c.due_at IS NOT NULL;

DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT indexdef FROM saved_index LOOP EXECUTE r.indexdef; END LOOP;
END $$;

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
VACUUM ANALYZE complaint_clocks;
VACUUM ANALYZE counters;
VACUUM ANALYZE inspection_acts;
VACUUM ANALYZE orders;
VACUUM ANALYZE fines;
VACUUM ANALYZE outbox;

SELECT 'seeded' AS what,
       (SELECT count(*) FROM organisations WHERE kind = 'management_company') AS companies,
       (SELECT count(*) FROM buildings) AS buildings,
       (SELECT count(*) FROM users) AS users,
       (SELECT count(*) FROM complaints) AS complaints,
       (SELECT count(*) FROM complaint_events) AS events;

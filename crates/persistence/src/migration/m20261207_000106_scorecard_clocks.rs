//! The public scorecard's legal-clock figures as counters (issue 18), kept by the database in the
//! same transaction as each change like `scorecard_counts`: the scorecard read them as a join of
//! every clock with its complaint, a scan that grows with the history (4 clocks a complaint).
//!
//! `scorecard_clocks` holds, per (company, test flag, clock code, stripe), the clocks of the
//! company's complaints (`clocks`), those met on time (`met_on_time`: met and not missed) and those
//! missed (`missed`), always equal to that join over complaints routed to a company.
//!
//! Who keeps it, as it stands now (`m20261207_000117_clock_counts_written`):
//! - the writes of clocks (a filing's, a transition's, the worker's misses) write what they change
//!   themselves, in the same transaction (`persistence::complaints::clocks`, [`count_changes`]);
//! - a trigger on `complaint_clocks` takes a deleted clock away;
//! - triggers on `complaints` (insert, delete, and a change of company or test flag, which moves
//!   the complaint's clocks) add, take away or move the complaint's clocks.
//!
//! A clock whose complaint is not there (yet, or any more) counts nowhere, and the complaint's own
//! trigger adds or takes away its clocks, so either order of writes agrees. Stripes as in
//! `scorecard_counts` (16 by the complaint's id on PostgreSQL, one on SQLite).
//!
//! [`triggers`] and [`drop_triggers`] give the triggers as they stand now, for this migration,
//! for the migrations that rewrote them on databases made before (000113, 000117) and for the
//! bench's switch (`persistence::complaints::set_scorecard_triggers`). [`COUNTED_BY_WRITES`] is
//! the trigger whose presence tells the writes to count.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::m20261207_000091_scorecard_counters::STRIPES;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The trigger that takes a deleted clock away. Its presence means the counters are kept in the
/// current form, where the writes of clocks count their own changes.
pub(crate) const COUNTED_BY_WRITES: &str = "scorecard_clock_deleted";

fn pg(backend: DbBackend) -> bool {
    backend == DbBackend::Postgres
}

/// The counter row's stripe of the complaint `complaint_id` (an SQL expression).
pub(crate) fn stripe(backend: DbBackend, complaint_id: &str) -> String {
    if pg(backend) {
        format!("(get_byte(uuid_send({complaint_id}), 15) % {STRIPES})")
    } else {
        "0".to_owned()
    }
}

/// Whether the clock `k` was met on time, as 1 or 0.
fn met(k: &str) -> String {
    format!("CASE WHEN {k}.met_at IS NOT NULL AND {k}.missed_at IS NULL THEN 1 ELSE 0 END")
}

/// Whether the clock `k` was missed, as 1 or 0.
fn missed(k: &str) -> String {
    format!("CASE WHEN {k}.missed_at IS NOT NULL THEN 1 ELSE 0 END")
}

/// `INSERT INTO scorecard_clocks` of the rows of `select` (company, test flag, code, stripe and
/// the three deltas), each added to the row there.
fn upsert(select: &str) -> String {
    format!(
        "INSERT INTO scorecard_clocks (company_id, is_test, code, stripe, clocks, met_on_time, missed) \
         {select} ON CONFLICT (company_id, is_test, code, stripe) DO UPDATE SET \
         clocks = scorecard_clocks.clocks + excluded.clocks, \
         met_on_time = scorecard_clocks.met_on_time + excluded.met_on_time, \
         missed = scorecard_clocks.missed + excluded.missed"
    )
}

/// `INSERT INTO scorecard_clocks` of `rows` changes of one complaint's clocks, under the
/// complaint's company and test flag if it is routed to one: what a write of clocks counts
/// itself. Its `?` are first the complaint's id (and, when `given`, its company and test flag;
/// otherwise they are read from its stored row), then for each change its code, clocks, met on
/// time and missed. The rows are locked in the order given.
pub(crate) fn count_changes(backend: DbBackend, rows: usize, given: bool) -> String {
    // The values' types are written out on PostgreSQL, so that the statement stands on its own
    // where its values come as text (the bench's pgbench replay of a filing, where `'f' AS
    // is_test` would be text). SQLite would read `uuid` as a numeric affinity: it goes untyped.
    let (uuid, boolean, count) = if pg(backend) {
        ("::uuid", "::boolean", "::bigint")
    } else {
        ("", "", "")
    };
    let complaint = if given {
        format!("SELECT ?{uuid} AS id, ?{uuid} AS company_id, ?{boolean} AS is_test")
    } else {
        format!(
            "SELECT id, company_id, is_test FROM complaints WHERE id = ?{uuid} \
             AND company_id IS NOT NULL"
        )
    };
    let changes = vec![
        format!(
            "SELECT CAST(? AS VARCHAR) AS code, ?{count} AS clocks, ?{count} AS met_on_time, \
             ?{count} AS missed"
        );
        rows
    ]
    .join(" UNION ALL ");
    // `WHERE true`: SQLite reads the `ON` of `ON CONFLICT` right after a join as the join's.
    upsert(&format!(
        "SELECT c.company_id, c.is_test, d.code, {}, d.clocks, d.met_on_time, d.missed \
         FROM ({complaint}) AS c CROSS JOIN ({changes}) AS d WHERE true",
        stripe(backend, "c.id")
    ))
}

/// The delta of one clock row `k` (`OLD` or `NEW`) under its complaint's company, if it has one.
fn clock_delta(backend: DbBackend, k: &str, sign: &str) -> String {
    format!(
        "SELECT c.company_id, c.is_test, {k}.code, {}, {sign} * 1, {sign} * ({}), {sign} * ({}) \
         FROM complaints c WHERE c.id = {k}.complaint_id AND c.company_id IS NOT NULL",
        stripe(backend, &format!("{k}.complaint_id")),
        met(k),
        missed(k)
    )
}

/// The delta of all the clocks of the complaint row `c` (`OLD` or `NEW`) under its company.
fn complaint_delta(backend: DbBackend, c: &str, sign: &str) -> String {
    format!(
        "SELECT {c}.company_id AS company_id, {c}.is_test AS is_test, k.code AS code, \
         {} AS stripe, {sign} * COUNT(*) AS clocks, {sign} * SUM({}) AS met_on_time, \
         {sign} * SUM({}) AS missed \
         FROM complaint_clocks k WHERE k.complaint_id = {c}.id AND {c}.company_id IS NOT NULL \
         GROUP BY k.code",
        stripe(backend, &format!("{c}.id")),
        met("k"),
        missed("k")
    )
}

/// When an update of a complaint moves its clocks.
fn complaint_moved(backend: DbBackend) -> String {
    let distinct = if pg(backend) {
        "IS DISTINCT FROM"
    } else {
        "IS NOT"
    };
    format!("OLD.company_id {distinct} NEW.company_id OR OLD.is_test <> NEW.is_test")
}

fn pg_triggers() -> Vec<String> {
    let b = DbBackend::Postgres;
    let clock_fn = format!(
        "CREATE OR REPLACE FUNCTION scorecard_clock_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN {}; RETURN NULL; END $$",
        upsert(&clock_delta(b, "OLD", "-1")),
    );
    // A move takes away and adds in one statement, ordered by company, so that two moves between
    // the same two companies lock their rows in the same order.
    let complaint_fn = format!(
        "CREATE FUNCTION scorecard_clock_complaint() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
           IF TG_OP = 'UPDATE' THEN {}; \
           ELSIF TG_OP = 'DELETE' THEN {}; \
           ELSE {}; END IF; \
           RETURN NULL; \
         END $$",
        upsert(&format!(
            "SELECT * FROM ({} UNION ALL {}) AS moved ORDER BY company_id, is_test, code",
            complaint_delta(b, "OLD", "-1"),
            complaint_delta(b, "NEW", "1")
        )),
        upsert(&complaint_delta(b, "OLD", "-1")),
        upsert(&complaint_delta(b, "NEW", "1")),
    );
    vec![
        clock_fn,
        format!(
            "CREATE TRIGGER {COUNTED_BY_WRITES} AFTER DELETE ON complaint_clocks \
             FOR EACH ROW EXECUTE FUNCTION scorecard_clock_deleted()"
        ),
        complaint_fn,
        "CREATE TRIGGER scorecard_clock_complaint AFTER INSERT OR DELETE ON complaints \
         FOR EACH ROW EXECUTE FUNCTION scorecard_clock_complaint()"
            .to_owned(),
        format!(
            "CREATE TRIGGER scorecard_clock_complaint_update AFTER UPDATE OF company_id, is_test \
             ON complaints FOR EACH ROW WHEN ({}) EXECUTE FUNCTION scorecard_clock_complaint()",
            complaint_moved(b)
        ),
    ]
}

fn sqlite_triggers() -> Vec<String> {
    let b = DbBackend::Sqlite;
    vec![
        format!(
            "CREATE TRIGGER {COUNTED_BY_WRITES} AFTER DELETE ON complaint_clocks BEGIN {}; END",
            upsert(&clock_delta(b, "OLD", "-1"))
        ),
        format!(
            "CREATE TRIGGER scorecard_clock_complaint_insert AFTER INSERT ON complaints BEGIN {}; END",
            upsert(&complaint_delta(b, "NEW", "1"))
        ),
        format!(
            "CREATE TRIGGER scorecard_clock_complaint_update AFTER UPDATE OF company_id, is_test \
             ON complaints WHEN {} BEGIN {}; {}; END",
            complaint_moved(b),
            upsert(&complaint_delta(b, "OLD", "-1")),
            upsert(&complaint_delta(b, "NEW", "1"))
        ),
        format!(
            "CREATE TRIGGER scorecard_clock_complaint_delete AFTER DELETE ON complaints BEGIN {}; END",
            upsert(&complaint_delta(b, "OLD", "-1"))
        ),
    ]
}

/// The statements that create the triggers on `backend`.
pub(crate) fn triggers(backend: DbBackend) -> Vec<String> {
    if pg(backend) {
        pg_triggers()
    } else {
        sqlite_triggers()
    }
}

/// The statements that drop the triggers on `backend`.
pub(crate) fn drop_triggers(backend: DbBackend) -> Vec<String> {
    if pg(backend) {
        vec![
            "DROP TRIGGER IF EXISTS scorecard_clock ON complaint_clocks".to_owned(),
            "DROP TRIGGER IF EXISTS scorecard_clock_update ON complaint_clocks".to_owned(),
            format!("DROP TRIGGER IF EXISTS {COUNTED_BY_WRITES} ON complaint_clocks"),
            "DROP TRIGGER IF EXISTS scorecard_clock_complaint ON complaints".to_owned(),
            "DROP TRIGGER IF EXISTS scorecard_clock_complaint_update ON complaints".to_owned(),
            "DROP FUNCTION IF EXISTS scorecard_clock()".to_owned(),
            "DROP FUNCTION IF EXISTS scorecard_clock_deleted()".to_owned(),
            "DROP FUNCTION IF EXISTS scorecard_clock_complaint()".to_owned(),
        ]
    } else {
        [
            "scorecard_clock_insert",
            "scorecard_clock_update",
            "scorecard_clock_move",
            "scorecard_clock_delete",
            COUNTED_BY_WRITES,
            "scorecard_clock_complaint_insert",
            "scorecard_clock_complaint_update",
            "scorecard_clock_complaint_delete",
        ]
        .iter()
        .map(|t| format!("DROP TRIGGER IF EXISTS {t}"))
        .collect()
    }
}

/// The statement that fills empty counters from the clocks and complaints as stored. It groups by
/// position: SQLite would read its constant stripe `0` in a `GROUP BY` as a column number.
pub(crate) fn backfill(backend: DbBackend) -> String {
    let stripe = stripe(backend, "c.id");
    format!(
        "INSERT INTO scorecard_clocks (company_id, is_test, code, stripe, clocks, met_on_time, missed) \
         SELECT c.company_id, c.is_test, k.code, {stripe}, COUNT(*), SUM({}), SUM({}) \
         FROM complaint_clocks k JOIN complaints c ON c.id = k.complaint_id \
         WHERE c.company_id IS NOT NULL GROUP BY 1, 2, 3, 4",
        met("k"),
        missed("k")
    )
}

fn table(backend: DbBackend) -> String {
    let uuid = if pg(backend) { "uuid" } else { "blob" };
    format!(
        "CREATE TABLE scorecard_clocks (company_id {uuid} NOT NULL, is_test BOOLEAN NOT NULL, \
         code VARCHAR(32) NOT NULL, stripe INTEGER NOT NULL, clocks BIGINT NOT NULL DEFAULT 0, \
         met_on_time BIGINT NOT NULL DEFAULT 0, missed BIGINT NOT NULL DEFAULT 0, \
         PRIMARY KEY (company_id, is_test, code, stripe))"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        for sql in std::iter::once(table(backend))
            .chain(triggers(backend))
            .chain(std::iter::once(backfill(backend)))
        {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        for sql in drop_triggers(backend)
            .into_iter()
            .chain(["DROP TABLE IF EXISTS scorecard_clocks".to_owned()])
        {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}

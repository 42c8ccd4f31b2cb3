//! The public scorecard's counters, kept by the database itself in the same transaction as each
//! change (issue 18), so that reading the scorecard costs O(companies) rows, never a full scan.
//!
//! - `scorecard_counts`: one row per (company, test flag, stripe) with the figures of
//!   `domain::ScorecardBuilder` that do not depend on the clock. A complaint with no company
//!   counts under the nil UUID (for the city's totals only). On PostgreSQL a company's figures
//!   are spread over [`STRIPES`] rows by the complaint's id, so that concurrent transitions of one
//!   big company do not queue on one row lock; the reader adds the stripes up. SQLite has one
//!   writer at a time and uses stripe 0.
//! - `scorecard_reopened`: which complaints have been reopened with which company (the figure
//!   counts complaints, not events).
//! - Triggers on `complaints` (insert, delete, and updates of `status` or `company_id`) and on
//!   `complaint_events` (insert, and the purge's delete) keep both, whichever path writes: filing,
//!   transitions, reroutes, a building's new management company, the purge of test data.
//! - What is overdue depends on the clock, so it is not a counter: the reader counts the open
//!   complaints past their deadline through a partial index that holds only open complaints.
//!
//! The migration fills the counters from the existing history ([`backfill`], which
//! `persistence::complaints::rebuild_scorecard` reuses to repair them).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Rows per company and test flag on PostgreSQL.
pub(crate) const STRIPES: u32 = 16;

/// The statuses of an open complaint (`domain::Status::is_open`), as stored.
pub(crate) const OPEN_STATUSES: &str =
    "'registered','in_progress','awaiting_verification','needs_routing','under_inspection'";

/// The counters fed by events, in the order of the columns.
const EVENT_FIGURES: [&str; 9] = [
    "received",
    "reports",
    "late_reports",
    "verified",
    "satisfied",
    "inspections",
    "orders",
    "fines",
    "fines_total_rub",
];

/// The kinds of event that can change an event figure or reopen a complaint
/// ([`Dialect::event_figures`], [`Dialect::reopens`]). Any other kind counts only when it moves
/// the complaint to inspection; the event trigger returns at once for the rest (most events, an
/// accept among them), before it reads the payload.
const COUNTED_KINDS: [&str; 7] = [
    "registered",
    "reroute",
    "report_done",
    "record_call",
    "resident_answer",
    "issue_order",
    "record_fine",
];

/// The counters fed by the complaint's own row.
const COMPLAINT_FIGURES: [&str; 3] = ["complaints_total", "open_total", "closed_total"];

/// What differs between the two backends' SQL.
struct Dialect(DbBackend);

impl Dialect {
    fn pg(&self) -> bool {
        self.0 == DbBackend::Postgres
    }

    fn nil(&self) -> &'static str {
        if self.pg() {
            "'00000000-0000-0000-0000-000000000000'::uuid"
        } else {
            "zeroblob(16)"
        }
    }

    fn stripe(&self, id: &str) -> String {
        if self.pg() {
            format!("(get_byte(uuid_send({id}), 15) % {STRIPES})")
        } else {
            "0".to_owned()
        }
    }

    fn text(&self, e: &str, field: &str) -> String {
        if self.pg() {
            format!("({e}.payload->>'{field}')")
        } else {
            format!("json_extract({e}.payload, '$.{field}')")
        }
    }

    fn flag(&self, e: &str, field: &str, value: bool) -> String {
        if self.pg() {
            format!("({e}.payload->>'{field}') = '{value}'")
        } else {
            format!(
                "json_extract({e}.payload, '$.{field}') = {}",
                u8::from(value)
            )
        }
    }

    fn amount(&self, e: &str) -> String {
        if self.pg() {
            format!("COALESCE(({e}.payload->>'amount_rub')::bigint, 0)")
        } else {
            format!("COALESCE(json_extract({e}.payload, '$.amount_rub'), 0)")
        }
    }

    /// The event's company, or NULL.
    fn company(&self, e: &str) -> String {
        if self.pg() {
            format!("({e}.payload->>'company_id')::uuid")
        } else {
            format!("unhex(replace(json_extract({e}.payload, '$.company_id'), '-', ''))")
        }
    }

    /// The amount each event figure of [`EVENT_FIGURES`] changes by for the event `e`.
    fn event_figures(&self, e: &str) -> [String; 9] {
        let kind = |k: &str| format!("{e}.kind = '{k}'");
        let when = |cond: String| format!("CASE WHEN {cond} THEN 1 ELSE 0 END");
        let outcome = self.text(e, "outcome");
        [
            when(format!("{e}.kind IN ('registered', 'reroute')")),
            when(kind("report_done")),
            when(format!(
                "{} AND {}",
                kind("report_done"),
                self.flag(e, "on_time", false)
            )),
            when(format!(
                "({} AND {outcome} IN ('satisfied', 'unsatisfied', 'not_done')) OR {}",
                kind("record_call"),
                kind("resident_answer")
            )),
            when(format!(
                "({} AND {outcome} = 'satisfied') OR ({} AND {})",
                kind("record_call"),
                kind("resident_answer"),
                self.flag(e, "satisfied", true)
            )),
            when(format!(
                "{e}.to_status = 'under_inspection' \
                 AND ({e}.from_status IS NULL OR {e}.from_status <> 'under_inspection')"
            )),
            when(kind("issue_order")),
            when(kind("record_fine")),
            format!(
                "CASE WHEN {} THEN {} ELSE 0 END",
                kind("record_fine"),
                self.amount(e)
            ),
        ]
    }

    /// Whether the event `e` reopens its complaint with its company.
    fn reopens(&self, e: &str) -> String {
        format!(
            "({e}.kind = 'issue_order' OR ({e}.kind IN ('record_call', 'resident_answer') \
             AND {e}.to_status = 'in_progress' \
             AND ({e}.from_status IS NULL OR {e}.from_status <> 'in_progress')))"
        )
    }

    fn complaint_figures(&self, c: &str) -> [String; 3] {
        [
            "1".to_owned(),
            format!("CASE WHEN {c}.status IN ({OPEN_STATUSES}) THEN 1 ELSE 0 END"),
            format!("CASE WHEN {c}.status IN ('closed', 'closed_unconfirmed') THEN 1 ELSE 0 END"),
        ]
    }

    fn uuid_type(&self) -> &'static str {
        if self.pg() { "uuid" } else { "blob" }
    }
}

fn all_figures() -> Vec<&'static str> {
    COMPLAINT_FIGURES
        .iter()
        .chain(EVENT_FIGURES.iter())
        .chain(["reopened"].iter())
        .copied()
        .collect()
}

/// `INSERT INTO scorecard_counts (...)` of one row of deltas, added to the row there.
fn upsert(company: &str, is_test: &str, stripe: &str, values: &[String], from: &str) -> String {
    let figures = all_figures();
    let sets: Vec<String> = figures
        .iter()
        .map(|f| format!("{f} = scorecard_counts.{f} + excluded.{f}"))
        .collect();
    format!(
        "INSERT INTO scorecard_counts (company_id, is_test, stripe, {}) \
         SELECT {company}, {is_test}, {stripe}, {} {from} \
         ON CONFLICT (company_id, is_test, stripe) DO UPDATE SET {}",
        figures.join(", "),
        values.join(", "),
        sets.join(", ")
    )
}

fn zeros(n: usize) -> Vec<String> {
    vec!["0".to_owned(); n]
}

/// The statements that fill empty counters from the complaints and events as stored.
pub(crate) fn backfill(backend: DbBackend) -> Vec<String> {
    let d = Dialect(backend);
    let company = d.company("e");
    let reopened = format!(
        "INSERT INTO scorecard_reopened (complaint_id, company_id) \
         SELECT DISTINCT e.complaint_id, {company} FROM complaint_events e \
         WHERE {} AND {company} IS NOT NULL",
        d.reopens("e")
    );
    let figures = all_figures();
    let c_values: Vec<String> = d
        .complaint_figures("c")
        .into_iter()
        .chain(zeros(EVENT_FIGURES.len() + 1))
        .collect();
    let e_values: Vec<String> = zeros(COMPLAINT_FIGURES.len())
        .into_iter()
        .chain(d.event_figures("e"))
        .chain(zeros(1))
        .collect();
    let r_values: Vec<String> = zeros(figures.len() - 1)
        .into_iter()
        .chain(["1".to_owned()])
        .collect();
    let row = |company: String, stripe: String, values: &[String], from: &str| {
        let named: Vec<String> = values
            .iter()
            .zip(&figures)
            .map(|(v, f)| format!("{v} AS {f}"))
            .collect();
        format!(
            "SELECT {company} AS company_id, c.is_test AS is_test, {stripe} AS stripe, {} {from}",
            named.join(", ")
        )
    };
    let sums: Vec<String> = figures.iter().map(|f| format!("SUM({f})")).collect();
    let counts = format!(
        "INSERT INTO scorecard_counts (company_id, is_test, stripe, {}) \
         SELECT company_id, is_test, stripe, {} FROM ({} UNION ALL {} UNION ALL {}) AS parts \
         GROUP BY company_id, is_test, stripe",
        figures.join(", "),
        sums.join(", "),
        row(
            format!("COALESCE(c.company_id, {})", d.nil()),
            d.stripe("c.id"),
            &c_values,
            "FROM complaints c",
        ),
        row(
            format!("COALESCE({company}, {})", d.nil()),
            d.stripe("e.complaint_id"),
            &e_values,
            "FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id",
        ),
        row(
            "r.company_id".to_owned(),
            d.stripe("r.complaint_id"),
            &r_values,
            "FROM scorecard_reopened r JOIN complaints c ON c.id = r.complaint_id",
        ),
    );
    vec![reopened, counts]
}

fn tables(d: &Dialect) -> Vec<String> {
    let uuid = d.uuid_type();
    let columns: Vec<String> = all_figures()
        .iter()
        .map(|f| format!("{f} BIGINT NOT NULL DEFAULT 0"))
        .collect();
    let open_index = if d.pg() {
        format!(
            "CREATE INDEX ix_complaints_open_due ON complaints (due_at) \
             INCLUDE (status, company_id, is_test, paused_since) WHERE status IN ({OPEN_STATUSES})"
        )
    } else {
        format!(
            "CREATE INDEX ix_complaints_open_due ON complaints \
             (due_at, status, company_id, is_test, paused_since) WHERE status IN ({OPEN_STATUSES})"
        )
    };
    vec![
        format!(
            "CREATE TABLE scorecard_counts (company_id {uuid} NOT NULL, is_test BOOLEAN NOT NULL, \
             stripe INTEGER NOT NULL, {}, PRIMARY KEY (company_id, is_test, stripe))",
            columns.join(", ")
        ),
        format!(
            "CREATE TABLE scorecard_reopened (complaint_id {uuid} NOT NULL, \
             company_id {uuid} NOT NULL, PRIMARY KEY (complaint_id, company_id))"
        ),
        open_index,
    ]
}

/// Whether a complaint's update leaves its open and closed figures as they were.
fn same_class(d: &Dialect) -> String {
    let old = d.complaint_figures("OLD");
    let new = d.complaint_figures("NEW");
    // In parentheses: PL/pgSQL would take a `CASE`'s `THEN` for the end of an `IF` condition.
    format!(
        "(({}) = ({}) AND ({}) = ({}))",
        old[1], new[1], old[2], new[2]
    )
}

/// Whether the event `e` changes any event figure.
fn counts(d: &Dialect, e: &str) -> String {
    format!("({}) <> 0", d.event_figures(e).join(" + "))
}

/// The PostgreSQL trigger functions and triggers.
fn pg_triggers() -> Vec<String> {
    let d = Dialect(DbBackend::Postgres);
    let figures = all_figures();
    let n = figures.len();
    // Complaint rows: `sign` is +1 for the new row and -1 for the old one.
    let complaint_values = |row: &str, sign: &str| -> Vec<String> {
        d.complaint_figures(row)
            .into_iter()
            .map(|v| format!("{sign} * {v}"))
            .chain(zeros(n - COMPLAINT_FIGURES.len()))
            .collect()
    };
    let add_row = |row: &str, sign: &str| {
        upsert(
            &format!("COALESCE({row}.company_id, {})", d.nil()),
            &format!("{row}.is_test"),
            &d.stripe(&format!("{row}.id")),
            &complaint_values(row, sign),
            "",
        )
    };
    let complaint_fn = format!(
        "CREATE FUNCTION scorecard_complaint() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
           IF TG_OP = 'UPDATE' AND OLD.company_id IS DISTINCT FROM NEW.company_id \
              AND COALESCE(NEW.company_id, {nil}) < COALESCE(OLD.company_id, {nil}) THEN \
             {new_row}; {old_row}; RETURN NULL; \
           END IF; \
           IF TG_OP IN ('UPDATE', 'DELETE') THEN {old_row}; END IF; \
           IF TG_OP IN ('UPDATE', 'INSERT') THEN {new_row}; END IF; \
           IF TG_OP = 'DELETE' THEN \
             UPDATE scorecard_counts s SET reopened = s.reopened - 1 FROM scorecard_reopened r \
              WHERE r.complaint_id = OLD.id AND s.company_id = r.company_id \
                AND s.is_test = OLD.is_test AND s.stripe = {stripe}; \
             DELETE FROM scorecard_reopened WHERE complaint_id = OLD.id; \
           END IF; \
           RETURN NULL; \
         END $$",
        nil = d.nil(),
        new_row = add_row("NEW", "1"),
        old_row = add_row("OLD", "-1"),
        stripe = d.stripe("OLD.id"),
    );
    let event_values = |sign: &str| -> Vec<String> {
        zeros(COMPLAINT_FIGURES.len())
            .into_iter()
            .chain(
                d.event_figures("ev")
                    .into_iter()
                    .map(|v| format!("{sign} * {v}")),
            )
            .chain(zeros(1))
            .collect()
    };
    let event_row = |sign: &str| {
        upsert(
            &format!("COALESCE({}, {})", d.company("ev"), d.nil()),
            "c.is_test",
            &d.stripe("ev.complaint_id"),
            &event_values(sign),
            "FROM complaints c WHERE c.id = ev.complaint_id",
        )
    };
    let mut reopened_values = zeros(n - 1);
    reopened_values.push("1".to_owned());
    let event_fn = format!(
        "CREATE FUNCTION scorecard_event() RETURNS trigger LANGUAGE plpgsql AS $$ \
         DECLARE ev complaint_events; company uuid; added integer; \
         BEGIN \
           IF TG_OP = 'INSERT' AND NEW.kind NOT IN ({kinds}) \
              AND NEW.to_status <> 'under_inspection' THEN RETURN NULL; END IF; \
           IF TG_OP = 'INSERT' THEN ev := NEW; ELSE ev := OLD; END IF; \
           IF {counts} THEN \
             IF TG_OP = 'INSERT' THEN {insert_row}; ELSE {delete_row}; END IF; \
           END IF; \
           company := {company}; \
           IF TG_OP = 'INSERT' AND company IS NOT NULL AND {reopens} THEN \
             INSERT INTO scorecard_reopened (complaint_id, company_id) \
               VALUES (ev.complaint_id, company) ON CONFLICT DO NOTHING; \
             GET DIAGNOSTICS added = ROW_COUNT; \
             IF added > 0 THEN {reopened_row}; END IF; \
           END IF; \
           RETURN NULL; \
         END $$",
        kinds = COUNTED_KINDS.map(|k| format!("'{k}'")).join(", "),
        counts = counts(&d, "ev"),
        insert_row = event_row("1"),
        delete_row = event_row("-1"),
        company = d.company("ev"),
        reopens = d.reopens("ev"),
        reopened_row = upsert(
            "company",
            "c.is_test",
            &d.stripe("ev.complaint_id"),
            &reopened_values,
            "FROM complaints c WHERE c.id = ev.complaint_id",
        ),
    );
    vec![
        complaint_fn,
        "CREATE TRIGGER scorecard_complaint AFTER INSERT OR DELETE ON complaints \
         FOR EACH ROW EXECUTE FUNCTION scorecard_complaint()"
            .to_owned(),
        // Most updates (an accept, say) move a complaint within its class and company: the
        // condition keeps them from calling the function at all.
        format!(
            "CREATE TRIGGER scorecard_complaint_update AFTER UPDATE OF status, company_id \
             ON complaints FOR EACH ROW \
             WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id OR NOT {}) \
             EXECUTE FUNCTION scorecard_complaint()",
            same_class(&d)
        ),
        event_fn,
        "CREATE TRIGGER scorecard_event AFTER INSERT OR DELETE ON complaint_events \
         FOR EACH ROW EXECUTE FUNCTION scorecard_event()"
            .to_owned(),
    ]
}

/// The SQLite triggers (no variables: each statement reads `NEW` or `OLD` itself).
fn sqlite_triggers() -> Vec<String> {
    let d = Dialect(DbBackend::Sqlite);
    let n = all_figures().len();
    let complaint_values = |row: &str, sign: &str| -> Vec<String> {
        d.complaint_figures(row)
            .into_iter()
            .map(|v| format!("{sign} * {v}"))
            .chain(zeros(n - COMPLAINT_FIGURES.len()))
            .collect()
    };
    let add_row = |row: &str, sign: &str| {
        upsert(
            &format!("COALESCE({row}.company_id, {})", d.nil()),
            &format!("{row}.is_test"),
            "0",
            &complaint_values(row, sign),
            "WHERE true",
        )
    };
    let event_values = |e: &str, sign: &str| -> Vec<String> {
        zeros(COMPLAINT_FIGURES.len())
            .into_iter()
            .chain(
                d.event_figures(e)
                    .into_iter()
                    .map(|v| format!("{sign} * {v}")),
            )
            .chain(zeros(1))
            .collect()
    };
    let event_row = |e: &str, sign: &str| {
        upsert(
            &format!("COALESCE({}, {})", d.company(e), d.nil()),
            "c.is_test",
            "0",
            &event_values(e, sign),
            &format!(
                "FROM complaints c WHERE c.id = {e}.complaint_id AND {}",
                counts(&d, e)
            ),
        )
    };
    let company = d.company("NEW");
    let not_yet = format!(
        "NOT EXISTS (SELECT 1 FROM scorecard_reopened r \
         WHERE r.complaint_id = NEW.complaint_id AND r.company_id = {company})"
    );
    let mut reopened_values = zeros(n - 1);
    reopened_values.push("1".to_owned());
    vec![
        format!(
            "CREATE TRIGGER scorecard_complaint_insert AFTER INSERT ON complaints BEGIN {}; END",
            add_row("NEW", "1")
        ),
        format!(
            "CREATE TRIGGER scorecard_complaint_update AFTER UPDATE OF status, company_id \
             ON complaints WHEN OLD.company_id IS NOT NEW.company_id OR NOT ({}) \
             BEGIN {}; {}; END",
            same_class(&d),
            add_row("OLD", "-1"),
            add_row("NEW", "1")
        ),
        format!(
            "CREATE TRIGGER scorecard_complaint_delete AFTER DELETE ON complaints BEGIN {}; \
             UPDATE scorecard_counts SET reopened = reopened - 1 \
              WHERE is_test = OLD.is_test AND stripe = 0 AND company_id IN \
                (SELECT company_id FROM scorecard_reopened WHERE complaint_id = OLD.id); \
             DELETE FROM scorecard_reopened WHERE complaint_id = OLD.id; END",
            add_row("OLD", "-1")
        ),
        format!(
            "CREATE TRIGGER scorecard_event_insert AFTER INSERT ON complaint_events BEGIN {}; \
             {}; \
             INSERT INTO scorecard_reopened (complaint_id, company_id) \
               SELECT NEW.complaint_id, {company} WHERE {} AND {company} IS NOT NULL AND {not_yet}; \
             END",
            event_row("NEW", "1"),
            upsert(
                &company,
                "c.is_test",
                "0",
                &reopened_values,
                &format!(
                    "FROM complaints c WHERE c.id = NEW.complaint_id AND {} \
                     AND {company} IS NOT NULL AND {not_yet}",
                    d.reopens("NEW")
                ),
            ),
            d.reopens("NEW"),
        ),
        format!(
            "CREATE TRIGGER scorecard_event_delete AFTER DELETE ON complaint_events BEGIN {}; END",
            event_row("OLD", "-1")
        ),
    ]
}

/// The statements that create the triggers on `backend`.
pub(crate) fn triggers(backend: DbBackend) -> Vec<String> {
    if backend == DbBackend::Postgres {
        pg_triggers()
    } else {
        sqlite_triggers()
    }
}

/// The statements that drop the triggers on `backend` (to measure without them, and in `down`).
pub(crate) fn drop_triggers(backend: DbBackend) -> Vec<String> {
    if backend == DbBackend::Postgres {
        vec![
            "DROP TRIGGER IF EXISTS scorecard_complaint ON complaints".to_owned(),
            "DROP TRIGGER IF EXISTS scorecard_complaint_update ON complaints".to_owned(),
            "DROP TRIGGER IF EXISTS scorecard_event ON complaint_events".to_owned(),
            "DROP FUNCTION IF EXISTS scorecard_complaint()".to_owned(),
            "DROP FUNCTION IF EXISTS scorecard_event()".to_owned(),
        ]
    } else {
        [
            "scorecard_complaint_insert",
            "scorecard_complaint_update",
            "scorecard_complaint_delete",
            "scorecard_event_insert",
            "scorecard_event_delete",
        ]
        .iter()
        .map(|t| format!("DROP TRIGGER IF EXISTS {t}"))
        .collect()
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let d = Dialect(backend);
        // One call each on SQLite would not do: statements run one by one, in the migration's
        // transaction on PostgreSQL, so that the backfill sees exactly the rows the triggers
        // will not.
        for sql in tables(&d)
            .into_iter()
            .chain(triggers(backend))
            .chain(backfill(backend))
        {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        for sql in drop_triggers(backend).into_iter().chain([
            "DROP INDEX IF EXISTS ix_complaints_open_due".to_owned(),
            "DROP TABLE IF EXISTS scorecard_reopened".to_owned(),
            "DROP TABLE IF EXISTS scorecard_counts".to_owned(),
        ]) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind the figures or the reopening name, in `e.kind = '…'` or `e.kind IN ('…', …)`.
    fn kinds_named(sql: &str) -> Vec<String> {
        let mut kinds = Vec::new();
        for (i, _) in sql.match_indices("e.kind") {
            let rest = sql[i + "e.kind".len()..].trim_start();
            let list = if let Some(one) = rest.strip_prefix("= ") {
                one.split_once([')', ' ']).map_or(one, |(a, _)| a)
            } else if let Some(many) = rest.strip_prefix("IN (") {
                many.split_once(')').map_or(many, |(a, _)| a)
            } else {
                continue;
            };
            kinds.extend(
                list.split(',')
                    .map(|k| k.trim().trim_matches('\'').to_owned()),
            );
        }
        kinds
    }

    #[test]
    fn the_event_trigger_skips_no_kind_that_counts() {
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let d = Dialect(backend);
            let sql = d.event_figures("e").join(" ") + &d.reopens("e");
            let named = kinds_named(&sql);
            assert!(named.len() >= COUNTED_KINDS.len(), "{named:?}");
            for kind in &named {
                assert!(
                    COUNTED_KINDS.contains(&kind.as_str()),
                    "{kind} is not in COUNTED_KINDS"
                );
            }
            for kind in COUNTED_KINDS {
                assert!(named.iter().any(|k| k == kind), "{kind} counts nothing");
            }
        }
    }
}
